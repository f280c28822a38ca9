/** One checked assertion. line/col are 1-based and point at the code that holds the fix (or the failure). */
export interface Finding {
  specId: string;
  ok: boolean;
  message: string;
  file: string;
  line: number;
  col: number;
  /** Which assertion of the spec produced it ('anchor' when the anchor itself is missing). */
  check: string;
  severity: 'critical' | 'major' | 'minor';
  /** The engine could not find where the spec holds (or read its shape): no verdict of its own, the probes and the soak decide. */
  notLocated?: true;
  /** Set when a static check cannot decide and names the runtime probe that does. */
  deferredTo?: string;
}
