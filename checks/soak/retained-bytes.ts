import { getHeapCodeStatistics } from 'node:v8';

type CodeStatistics = Pick<ReturnType<typeof getHeapCodeStatistics>, 'code_and_metadata_size' | 'bytecode_and_metadata_size'>;

/**
 * The data a process keeps, after a full gc: the JS heap less V8's code (machine code, bytecode and
 * their metadata: deopt data, relocation info, source positions), plus ArrayBuffers. Code is left out
 * because the JIT grows it for hours as functions turn hot, whatever the service stores (0.36 MB per
 * simulated hour of the real build, all of it code); a leak is data, and data is what is left.
 */
export function retainedBytes(m: Pick<NodeJS.MemoryUsage, 'heapUsed' | 'arrayBuffers'>, code: CodeStatistics = getHeapCodeStatistics()): number {
  return m.heapUsed - code.code_and_metadata_size - code.bytecode_and_metadata_size + m.arrayBuffers;
}
