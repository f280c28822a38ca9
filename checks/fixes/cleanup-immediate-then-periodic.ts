import { periodicCleanupsContinue, shutdownWithinOneTick, startupCleanupImmediate } from '../probes/cleanup-probes.ts';
import { defineFix } from './define-fix.ts';

export default defineFix({
  id: 'cleanup-immediate-then-periodic',
  title: 'Memory cleanup runs immediately at startup, then again after every interval until shutdown',
  severity: 'critical',
  why: 'The first cleanup used to wait 10 minutes; after that fix the loop exited right after the startup run because its `while running` flag was still false.',
  anchor: { calls: 'PeriodicMemoryCleanupOptions#cleanup' },
  steps: {
    cleanup: { call: 'PeriodicMemoryCleanupOptions#cleanup', viaLocalHelper: true, label: 'cleanup()' },
    sleep: { call: 'Clock#sleep', viaLocalHelper: true, label: 'clock.sleep(…)' },
    awaitSleep: { call: 'Clock#sleep', awaited: true, viaLocalHelper: true, label: 'await clock.sleep(…)' },
  },
  assert: (s) => [
    { kind: 'call-before-loop-and-after-sleep', call: s.cleanup, sleep: s.awaitSleep },
    { kind: 'loop-runs-while-service-runs', loopHolding: s.sleep, onBareFlag: 'fail', probe: 'periodic-cleanups-continue' },
  ],
  mutants: [
    { id: 'delete-startup-cleanup', killer: 'static', op: { op: 'delete', target: 'cleanup' } },
    { id: 'startup-cleanup-after-loop', killer: 'static', op: { op: 'move-after-loop', target: 'cleanup' } },
    { id: 'startup-cleanup-into-loop', killer: 'static', op: { op: 'move-into-loop', target: 'cleanup' } },
    { id: 'startup-cleanup-if-false', killer: 'static', op: { op: 'if-false', target: 'cleanup' } },
    { id: 'return-before-loop', killer: 'static', op: { op: 'early-return', after: 'cleanup' } },
    { id: 'delete-periodic-cleanup', killer: 'static', op: { op: 'delete', target: 'cleanup#periodic' } },
    { id: 'periodic-cleanup-before-sleep', killer: 'static', op: { op: 'swap', target: 'awaitSleep', other: 'cleanup#periodic' } },
    { id: 'rename-function', killer: 'probe', op: { op: 'rename-anchor' } },
    { id: 'loop-flag-false', killer: 'probe', op: { op: 'flag-false-at-start' } },
    { id: 'sleep-x1000', killer: 'probe', op: { op: 'scale-arg', target: 'awaitSleep', factor: 1000 } },
    { id: 'sleep-ignores-signal', killer: 'probe', op: { op: 'drop-last-arg', target: 'awaitSleep' } },
  ],
  probes: [
    { id: 'startup-cleanup-immediate', specIds: ['cleanup-immediate-then-periodic'], make: startupCleanupImmediate },
    { id: 'periodic-cleanups-continue', specIds: ['cleanup-immediate-then-periodic'], make: periodicCleanupsContinue },
    { id: 'shutdown-within-one-tick', specIds: ['cleanup-immediate-then-periodic'], make: shutdownWithinOneTick },
  ],
});
