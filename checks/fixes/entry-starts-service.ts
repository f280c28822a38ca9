import { defineFix } from './define-fix.ts';

/** Its runtime probe is service-entry-starts-cleanup, registered with cleanup-started-after-manager. */
export default defineFix({
  id: 'entry-starts-service',
  title: 'The service entry starts the service, and with it the cleanup task, whenever it runs',
  severity: 'critical',
  why: 'startService creating the manager and then the task proves nothing if app/main.ts does not call it at its top level: behind a flag, after an early exit or deleted, the startup line never appears.',
  anchor: { entry: true },
  steps: { start: { call: 'startService' } },
  assert: (s) => [{ kind: 'runs-unconditionally', step: s.start }],
  mutants: [
    { id: 'delete-start', killer: 'static', op: { op: 'delete', target: 'start' } },
    { id: 'start-if-false', killer: 'static', op: { op: 'if-false', target: 'start' } },
    { id: 'exit-before-start', killer: 'static', op: { op: 'insert-before', target: 'start', text: 'process.exit(0);' } },
    { id: 'exit-helper-before-start', killer: 'static', op: { op: 'insert-before', target: 'start', text: "fail('stopped early', 0);" } },
    { id: 'start-in-uncalled-function', killer: 'static', op: { op: 'defer-into-closure', target: 'start' } },
  ],
});
