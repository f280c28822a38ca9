import type { Clock } from '../../app/core/clock.ts';
import type { RemoteShell } from './ssh-session.ts';
import { unitStatus } from './unit-status.ts';

/**
 * The connection a proof reads through. A link that drops mid-proof is not a verdict on the release:
 * a new one is sought with backoff until the proof deadline, and only then is the proof judged.
 */
export interface ProofLink {
  shell: RemoteShell;
  reconnect?: () => Promise<RemoteShell | undefined>;
  clock: Clock;
  reconnects: number;
}

const FIRST_WAIT_MS = 500;
const MAX_WAIT_MS = 8_000;

/** Reconnects with doubling waits; false when the deadline passed (or nothing can reconnect). */
export async function relink(link: ProofLink, deadline: number, signal?: AbortSignal): Promise<boolean> {
  if (!link.reconnect) return false;
  let wait = FIRST_WAIT_MS;
  while (link.clock.now() < deadline && !signal?.aborted) {
    const fresh = await link.reconnect();
    if (fresh) {
      link.shell = fresh;
      link.reconnects += 1;
      return true;
    }
    await link.clock.sleep(Math.min(wait, Math.max(0, deadline - link.clock.now())), signal).catch(() => undefined);
    wait = Math.min(wait * 2, MAX_WAIT_MS);
  }
  return false;
}

/** The unit's status through the link, reconnecting while the link is down and the deadline allows. */
export async function statusVia(link: ProofLink, unit: string, deadline: number, signal?: AbortSignal): ReturnType<typeof unitStatus> {
  for (;;) {
    const s = await unitStatus(link.shell, unit);
    if (s.ok || !link.shell.isClosed()) return s;
    if (!(await relink(link, deadline, signal))) return { ok: false, reason: `${s.reason}; no connection again before the proof deadline (${link.reconnects} reconnect${link.reconnects === 1 ? '' : 's'} made)` };
  }
}
