import type { TopicKind } from './ws-topics.ts';

/**
 * Fault switches. A REST fault fires either for the next `next` requests (a burst, counted down as
 * it is consumed) or for a fraction `rate` of requests, drawn from the emulator's seeded sequence.
 */
export interface RestFault {
  next?: number;
  rate?: number;
}

export interface Faults {
  /**
   * Bybit's API limit: HTTP 200, retCode 10006, and `X-Bapi-Limit-Reset-Timestamp` = now + `resetMs` of
   * the emulator's clock (default 1000); `resetHeader: false` leaves the header out, as Bybit sometimes
   * does. ccxt: RateLimitExceeded.
   */
  rateLimit?: RestFault & { resetMs?: number; resetHeader?: boolean };
  /** An HTTP 429 with no Bybit envelope, as an edge in front of the API sends it. ccxt: RateLimitExceeded. */
  httpRateLimit?: RestFault;
  /** Bybit's IP ban: once drawn, every REST request gets HTTP 403 for `durationMs` of the emulator's clock (default 600000). ccxt: RateLimitExceeded. */
  ipBan?: RestFault & { durationMs?: number };
  /** Bybit's retryable "System error": HTTP 200, retCode 10016. ccxt: ExchangeError. */
  systemError?: RestFault;
  /** An HTML 5xx from the edge; ccxt: ExchangeNotAvailable (500/502/503) or RequestTimeout (504). */
  serverError?: RestFault & { status?: 500 | 502 | 503 | 504 };
  /** Delay the reply by `delayMs` real ms; slower than ccxt's `timeout` gives RequestTimeout. */
  slow?: RestFault & { delayMs: number };
  /** Every Nth kline row (REST and WS) is malformed, cycling through MALFORMED_KINDS. 0 = off. */
  malformedEvery?: number;
  /** Close every WS connection each N real ms. 0 = off. */
  wsDisconnectEveryMs?: number;
  /**
   * Subscribe requests refused with Bybit's `success:false` "error:handler not found,topic:…", for the
   * next `next` requests or a fraction `rate` of them, that name a topic of one of `kinds` (default: all).
   * `silent`: the request gets no answer at all, and subscribes nothing.
   */
  refuseSubscribe?: RestFault & { kinds?: TopicKind[]; silent?: boolean };
  /** Every Nth order-book delta is lost on the way: not sent, but its `u` is used, so the client sees a gap. 0 = off. */
  bookDeltaLossEvery?: number;
}

export const MALFORMED_KINDS = ['short', 'nan', 'highBelowLow', 'offGrid', 'future'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export type RestFaultKind = 'rateLimit' | 'httpRateLimit' | 'ipBan' | 'systemError' | 'serverError' | 'slow';

/** Bybit bans an IP for at least 10 minutes. */
export const DEFAULT_BAN_MS = 600_000;
const DEFAULT_RESET_MS = 1_000;

function validRate(name: string, fault: RestFault | undefined): void {
  if (!fault) return;
  if (fault.next !== undefined && (!Number.isInteger(fault.next) || fault.next < 0)) {
    throw new RangeError(`faults.${name}.next must be an integer >= 0, got ${String(fault.next)}`);
  }
  if (fault.rate !== undefined && !(fault.rate >= 0 && fault.rate <= 1)) {
    throw new RangeError(`faults.${name}.rate must be within [0, 1], got ${String(fault.rate)}`);
  }
}

/** Rejects impossible switches with the field and the reason. */
export function validateFaults(faults: Faults): Faults {
  for (const kind of ['rateLimit', 'httpRateLimit', 'ipBan', 'systemError', 'serverError', 'slow', 'refuseSubscribe'] as const) validRate(kind, faults[kind]);
  const nonNegative = (field: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`faults.${field} must be a number >= 0, got ${String(v)}`);
  };
  if (faults.slow && !(faults.slow.delayMs >= 0)) {
    throw new RangeError(`faults.slow.delayMs must be >= 0, got ${String(faults.slow.delayMs)}`);
  }
  nonNegative('rateLimit.resetMs', faults.rateLimit?.resetMs);
  nonNegative('ipBan.durationMs', faults.ipBan?.durationMs);
  for (const key of ['malformedEvery', 'wsDisconnectEveryMs', 'bookDeltaLossEvery'] as const) {
    const v = faults[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`faults.${key} must be a number >= 0, got ${String(v)}`);
    }
  }
  return faults;
}

export class FaultState {
  private current: Faults = {};
  private malformedCounter = 0;
  private bookDeltaCounter = 0;
  /** End of the current IP ban on the emulator's clock; a ban outlives `clear()`, as a real one would. */
  private bannedUntil = -Infinity;

  constructor(
    initial: Faults,
    private readonly random: () => number,
  ) {
    this.set(initial);
  }

  /** Merges: a key given replaces that switch; `undefined` values and `{}` leave others as they are. */
  set(patch: Faults): void {
    validateFaults(patch);
    this.current = { ...this.current, ...structuredClone(patch) };
  }

  clear(): void {
    this.current = {};
  }

  get(): Faults {
    return structuredClone(this.current);
  }

  /** Whether this request draws the fault; consumes one from a burst. */
  draw(kind: RestFaultKind): boolean {
    return this.fires(this.current[kind]);
  }

  private fires(fault: RestFault | undefined): boolean {
    if (!fault) return false;
    if (fault.next !== undefined && fault.next > 0) {
      fault.next -= 1;
      return true;
    }
    return fault.rate !== undefined && fault.rate > 0 && this.random() < fault.rate;
  }

  /** Whether a request at `now` is refused by an IP ban, starting one when the `ipBan` switch draws. */
  banned(now: number): boolean {
    if (now < this.bannedUntil) return true;
    if (!this.draw('ipBan')) return false;
    this.bannedUntil = now + (this.current.ipBan?.durationMs ?? DEFAULT_BAN_MS);
    return true;
  }

  banEndsAt(): number | undefined {
    return Number.isFinite(this.bannedUntil) ? this.bannedUntil : undefined;
  }

  /** Lifts a ban early (tests and the admin endpoint). */
  liftBan(): void {
    this.bannedUntil = -Infinity;
  }

  /** The reset timestamp of a 10006 reply at `now`, or undefined when the header is switched off. */
  rateLimitResetAt(now: number): number | undefined {
    const f = this.current.rateLimit;
    return f?.resetHeader === false ? undefined : now + (f?.resetMs ?? DEFAULT_RESET_MS);
  }

  serverErrorStatus(): 500 | 502 | 503 | 504 {
    return this.current.serverError?.status ?? 503;
  }

  slowDelayMs(): number {
    return this.current.slow?.delayMs ?? 0;
  }

  wsDisconnectEveryMs(): number {
    return this.current.wsDisconnectEveryMs ?? 0;
  }

  /** Whether a subscribe naming topics of `kinds` is refused; consumes one from a burst. */
  refusesSubscribe(kinds: readonly TopicKind[]): boolean {
    const f = this.current.refuseSubscribe;
    return f !== undefined && (f.kinds === undefined || kinds.some((k) => f.kinds?.includes(k))) && this.fires(f);
  }

  /** Whether the next order-book delta is lost (bookDeltaLossEvery). */
  nextBookDeltaLost(): boolean {
    const every = this.current.bookDeltaLossEvery ?? 0;
    if (every <= 0) return false;
    this.bookDeltaCounter += 1;
    return this.bookDeltaCounter % every === 0;
  }

  /** The kind of malformation for the next kline row, or undefined for a clean row. */
  nextMalformed(): MalformedKind | undefined {
    const every = this.current.malformedEvery ?? 0;
    if (every <= 0) return undefined;
    this.malformedCounter += 1;
    if (this.malformedCounter % every !== 0) return undefined;
    return MALFORMED_KINDS[(this.malformedCounter / every) % MALFORMED_KINDS.length];
  }
}
