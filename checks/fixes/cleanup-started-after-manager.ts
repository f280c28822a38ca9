import { SERVICE_PROBE_TIMEOUT_MS, serviceStartsCleanup } from '../probes/service-probe.ts';
import { defineFix } from './define-fix.ts';

export default defineFix({
  id: 'cleanup-started-after-manager',
  title: 'The service starts the cleanup task with the manager, after the manager exists',
  severity: 'critical',
  why: 'A later bug started the cleanup task on an object that was still undefined, so it never ran and the startup line never appeared.',
  anchor: { creates: 'MarketDataManager' },
  steps: {
    manager: { new: 'MarketDataManager' },
    task: { call: 'periodicMemoryCleanup' },
  },
  assert: (s) => [{ kind: 'call-after-creation', creation: s.manager, call: s.task, allowedGuards: ['cleanup'] }],
  mutants: [
    { id: 'task-before-manager', killer: 'static', op: { op: 'swap', target: 'manager', other: 'task' } },
    { id: 'task-if-false', killer: 'static', op: { op: 'if-false', target: 'task' } },
    { id: 'delete-task', killer: 'static', op: { op: 'delete', target: 'task' } },
    { id: 'return-before-task', killer: 'static', op: { op: 'early-return', after: 'manager' } },
    { id: 'rename-function', killer: 'probe', op: { op: 'rename-anchor' } },
    { id: 'default-disabled', killer: 'probe', op: { op: 'negate-guard' } },
  ],
  probes: [
    {
      id: 'service-entry-starts-cleanup',
      specIds: ['cleanup-started-after-manager', 'entry-starts-service'],
      make: serviceStartsCleanup,
      timeoutMs: SERVICE_PROBE_TIMEOUT_MS,
      spawns: true,
    },
  ],
});
