import memlabCore from '@memlab/core';
import heapAnalysis from '@memlab/heap-analysis';
import type { HeapLoader } from './what-grew.ts';

// memlab is CommonJS that Node's ESM loader exposes as a default export only.
const { config, utils, ErrorHandling } = memlabCore;

/** Quiet (its progress lines would land in a soak child's output), and a bad snapshot throws instead of exiting the process. */
function quiet(): void {
  config.muteConsole = true;
  config.errorHandling = ErrorHandling.Throw;
}

/** memlab's parser. */
export const memlabLoader: HeapLoader = {
  nodes: async (file) => {
    quiet();
    const snapshot = await utils.getSnapshotFromFile(file, { buildNodeIdIndex: false });
    return { forEach: (f) => snapshot.nodes.forEach((n) => { f(n); }) };
  },
  withPaths: async (file) => {
    quiet();
    const snapshot = await heapAnalysis.getFullHeapFromFile(file);
    return { forEach: (f) => snapshot.nodes.forEach((n) => { f(n); }) };
  },
};
