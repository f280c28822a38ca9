/** IPC messages from a soak child (soak-entry.ts) to the soak runner. */
export type SoakMessage =
  | { type: 'ready'; port: number }
  | { type: 'sample'; rssMb: number; heapMb: number; retainedMb: number }
  | { type: 'error'; reason: string };

export type SoakBuildName = 'real' | 'fix-removed';

/** Env var naming the build a soak child runs. */
export const SOAK_BUILD_ENV = 'LEAKPROOF_SOAK_BUILD';
export const SOAK_SAMPLE_MS_ENV = 'LEAKPROOF_SOAK_SAMPLE_MS';

export function isSoakMessage(value: unknown): value is SoakMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'sample' || type === 'error';
}
