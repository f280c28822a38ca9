/**
 * Fault switches. A REST fault fires either for the next `next` requests (a burst, counted down as
 * it is consumed) or for a fraction `rate` of requests, drawn from the emulator's seeded sequence.
 */
export interface RestFault {
  next?: number;
  rate?: number;
}

export interface Faults {
  /** Bybit's rate-limit reply: retCode 10006 with HTTP 429 (default) or 403; ccxt: RateLimitExceeded. */
  rateLimit?: RestFault & { status?: 429 | 403 };
  /** An HTML 5xx from the edge; ccxt: ExchangeNotAvailable (500/502/503) or RequestTimeout (504). */
  serverError?: RestFault & { status?: 500 | 502 | 503 | 504 };
  /** Delay the reply by `delayMs` real ms; slower than ccxt's `timeout` gives RequestTimeout. */
  slow?: RestFault & { delayMs: number };
  /** Every Nth kline row (REST and WS) is malformed, cycling through MALFORMED_KINDS. 0 = off. */
  malformedEvery?: number;
  /** Close every WS connection each N real ms. 0 = off. */
  wsDisconnectEveryMs?: number;
}

export const MALFORMED_KINDS = ['short', 'nan', 'highBelowLow', 'offGrid', 'future'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export type RestFaultKind = 'rateLimit' | 'serverError' | 'slow';

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
  validRate('rateLimit', faults.rateLimit);
  validRate('serverError', faults.serverError);
  validRate('slow', faults.slow);
  if (faults.slow && !(faults.slow.delayMs >= 0)) {
    throw new RangeError(`faults.slow.delayMs must be >= 0, got ${String(faults.slow.delayMs)}`);
  }
  for (const key of ['malformedEvery', 'wsDisconnectEveryMs'] as const) {
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
    const fault = this.current[kind];
    if (!fault) return false;
    if (fault.next !== undefined && fault.next > 0) {
      fault.next -= 1;
      return true;
    }
    return fault.rate !== undefined && fault.rate > 0 && this.random() < fault.rate;
  }

  rateLimitStatus(): 429 | 403 {
    return this.current.rateLimit?.status ?? 429;
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

  /** The kind of malformation for the next kline row, or undefined for a clean row. */
  nextMalformed(): MalformedKind | undefined {
    const every = this.current.malformedEvery ?? 0;
    if (every <= 0) return undefined;
    this.malformedCounter += 1;
    if (this.malformedCounter % every !== 0) return undefined;
    return MALFORMED_KINDS[(this.malformedCounter / every) % MALFORMED_KINDS.length];
  }
}
