import { DEPS_PROBE_TIMEOUT_MS, runtimeImportsResolveFromDependencies } from '../probes/deps-probe.ts';
import { defineFix } from './define-fix.ts';

export default defineFix({
  id: 'runtime-dependencies',
  title: 'Every package the service imports at run time is in dependencies',
  severity: 'major',
  why: 'Hosts install with --omit=dev; a runtime import of a devDependency (the original once relied on psutil being there) crashes on start.',
  steps: {},
  assert: () => [{ kind: 'dependency-hygiene', entry: 'app/main.ts', require: ['tsx'] }],
  mutants: [
    { id: 'pino-to-dev', killer: 'static', op: { op: 'drop-dependency', pkg: 'pino', to: 'devDependencies' } },
    { id: 'zod-to-dev', killer: 'static', op: { op: 'drop-dependency', pkg: 'zod', to: 'devDependencies' } },
    { id: 'drop-tsx', killer: 'static', op: { op: 'drop-dependency', pkg: 'tsx', to: 'nowhere' } },
    { id: 'yaml-to-dev', killer: 'probe', op: { op: 'drop-dependency', pkg: 'yaml', to: 'devDependencies' } },
  ],
  probes: [
    {
      id: 'runtime-imports-from-dependencies',
      specIds: ['runtime-dependencies'],
      make: runtimeImportsResolveFromDependencies,
      timeoutMs: DEPS_PROBE_TIMEOUT_MS,
      spawns: true,
    },
  ],
});
