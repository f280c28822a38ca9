import type { Clock } from '../core/clock.ts';
import { admit, CLOSED, onAnswer, onBan, onRateLimit, type BreakerState, type PausePolicy, type PauseReason } from './rest-breaker.ts';
import type { RestVerdict } from './rest-fault-policy.ts';

export interface RestPause {
  reason: PauseReason;
  /** Epoch ms (the injected clock's) when the pause began. */
  since: number;
  /** When the next call may go (for a ban: the probe); undefined while the probe is out. */
  until: number | undefined;
  probing: boolean;
  /** Probes answered with 403 so far in this ban. */
  strikes: number;
}

export interface RestGateOptions {
  clock: Clock;
  policy: PausePolicy;
  signal: AbortSignal;
  /** Told once per transition (never per waiting call), to log it. */
  onChange?(now: RestPause | undefined, before: RestPause | undefined): void;
}

export function checkPausePolicy(p: PausePolicy): PausePolicy {
  for (const [field, v] of Object.entries(p)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`restPause.${field} must be a finite number >= 0, got ${String(v)}`);
  }
  if (p.maxProbeMs < p.probeMs) throw new RangeError(`restPause.maxProbeMs must be >= probeMs, got ${p.maxProbeMs}`);
  return p;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const snapshot = (s: BreakerState): RestPause | undefined =>
  s.mode === 'closed' ? undefined : { reason: s.reason, since: s.since, until: s.mode === 'paused' ? s.until : undefined, probing: s.mode === 'probing', strikes: s.strikes };

/**
 * The one door every REST call of a client goes through: while paused nothing is sent, and waiting
 * calls sleep on the injected clock (or on the probe's outcome), so a ban costs one request per probe
 * for the whole client, not four per job.
 */
export class RestGate {
  private state: BreakerState = CLOSED;
  private wake: { promise: Promise<void>; resolve: () => void } = deferred();
  readonly pauses: Record<PauseReason, number> = { ipBan: 0, rateLimit: 0, http429: 0 };

  constructor(private readonly o: RestGateOptions) {}

  current(): RestPause | undefined {
    return snapshot(this.state);
  }

  /** Runs `call` once the gate admits it, and feeds its outcome back into the breaker. */
  async run<T>(call: () => Promise<T>, classify: (error: unknown) => RestVerdict): Promise<T> {
    const probe = await this.admitted();
    try {
      const value = await call();
      this.set(onAnswer(this.state, probe));
      return value;
    } catch (error) {
      const verdict = classify(error);
      const now = this.o.clock.now();
      if (verdict.kind === 'ipBan') this.set(onBan(this.state, now, this.o.policy, probe));
      else {
        const answered = onAnswer(this.state, probe);
        this.set(verdict.kind === 'rateLimit' ? onRateLimit(answered, now, this.o.policy, verdict.resetAt, verdict.reason) : answered);
      }
      throw error;
    }
  }

  private async admitted(): Promise<boolean> {
    for (;;) {
      this.o.signal.throwIfAborted();
      const a = admit(this.state, this.o.clock.now());
      if (a.kind === 'go') {
        this.set(a.next);
        return a.probe;
      }
      if (a.kind === 'sleep') await this.o.clock.sleep(a.ms, this.o.signal);
      else await this.changed();
    }
  }

  private changed(): Promise<void> {
    const { signal } = this.o;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      void this.wake.promise.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  private set(next: BreakerState): void {
    if (next === this.state) return;
    const before = snapshot(this.state);
    if (next.mode === 'paused' && (this.state.mode === 'closed' || this.state.reason !== next.reason)) this.pauses[next.reason] += 1;
    this.state = next;
    this.o.onChange?.(snapshot(next), before);
    const { resolve } = this.wake;
    this.wake = deferred();
    resolve();
  }
}
