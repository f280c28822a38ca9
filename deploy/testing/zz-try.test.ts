import { it } from 'vitest';
import { runHistory } from './fault-history.ts';
const RESTART = 'then /usr/bin/systemctl restart';
it('try', async () => {
  const r = await runHistory([{ cmd: 'deploy', proves: true }, { cmd: 'deploy', proves: false, fault: { kind: 'disk-full', at: 0, on: RESTART } }, { cmd: 'wait', ms: 30_000 }]);
  console.log(r.log.join('\n'), '\nVIOLATIONS', r.violations);
}, 60_000);
