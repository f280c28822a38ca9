/**
 * A stand-in for the soak entry, to test the runner's plumbing with a real child process: the
 * fix-removed build retains 2 MB every sample, the real one allocates and frees. With
 * LEAKPROOF_STAND_IN=crash the fix-removed build exits after two samples.
 */
import { SOAK_BUILD_ENV, SOAK_SAMPLE_MS_ENV, type SoakMessage } from '../soak-protocol.ts';

const send = (m: SoakMessage) => process.send?.(m);
const build = process.env[SOAK_BUILD_ENV];
const every = Number(process.env[SOAK_SAMPLE_MS_ENV] ?? 200);
const kept: Buffer[] = [];
let n = 0;

send({ type: 'ready', port: 0 });
setInterval(() => {
  const chunk = Buffer.alloc(2 * 1024 * 1024, n);
  if (build === 'fix-removed') kept.push(chunk);
  const m = process.memoryUsage();
  send({ type: 'sample', rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576, retainedMb: (m.heapUsed + m.arrayBuffers) / 1048576 });
  if (++n === 2 && build === 'fix-removed' && process.env.LEAKPROOF_STAND_IN === 'crash') process.exit(3);
}, every);
