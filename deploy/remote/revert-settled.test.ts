import { describe, expect, it } from 'vitest';
import type { Clock } from '../../app/core/clock.ts';
import { revertRunSettled } from './revert-timer.ts';
import type { RemoteShell } from './ssh-session.ts';

/** A host whose revert service answers these states in turn; time moves only when the code sleeps. */
function scripted(states: string[]): { shell: RemoteShell; clock: Clock; asked: string[] } {
  const asked: string[] = [];
  let t = 0;
  const clock: Clock = { now: () => t, sleep: async (ms) => void (t += ms) };
  const shell = {
    exec: async (command: string) => {
      asked.push(command);
      return { code: 0, stdout: `ActiveState=${states.shift() ?? 'inactive'}\nInvocationID=\n`, stderr: '' };
    },
  } as unknown as RemoteShell;
  return { shell, clock, asked };
}

describe('revertRunSettled', () => {
  it('waits while the host revert runs, then goes on', async () => {
    const { shell, clock, asked } = scripted(['activating', 'activating', 'inactive']);
    expect(await revertRunSettled(shell, 'leakproof', clock)).toEqual({ ok: true, reason: '', waitedMs: 1000 });
    expect(asked[0]).toBe('systemctl show -p InvocationID,NRestarts,ActiveState,SubState,MainPID,LoadState,MemoryCurrent leakproof-revert.service');
  });
  it('gives up, naming the unit, when the revert outlasts the bound', async () => {
    const { shell, clock } = scripted(Array.from({ length: 100 }, () => 'activating'));
    const r = await revertRunSettled(shell, 'leakproof.service', clock, 3_000);
    expect(r).toMatchObject({ ok: false, reason: "the host's revert (leakproof-revert.service) was still running after 3000 ms" });
  });
});
