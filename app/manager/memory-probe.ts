/** How a cleanup reads memory and runs gc; injected so tests can see gc called and memory move. */
export interface MemoryProbe {
  rssMb(): number;
  /** undefined when the process runs without --expose-gc. */
  gc: (() => void) | undefined;
}

export const processMemoryProbe = (): MemoryProbe => ({
  rssMb: () => process.memoryUsage.rss() / (1024 * 1024),
  gc: typeof globalThis.gc === 'function' ? () => globalThis.gc?.() : undefined,
});
