/**
 * The score is out of 10: each part earns its weight times the share it achieved. Weights are data
 * so the report can print them next to what each part earned.
 */
export const SCORE_WEIGHTS = {
  /** share of fix specs whose static check passes */
  staticChecks: 3,
  /** Stryker mutation score / 100 */
  mutation: 2,
  /** share of runtime probes that pass */
  probes: 2,
  /** 1 when the soak ran and its verdict held (checks/soak/run-soak.ts, per unit of work); 0 when failed or skipped */
  soak: 2,
  /** the confidence value itself (fixes proven three ways) */
  confidence: 1,
} as const;

