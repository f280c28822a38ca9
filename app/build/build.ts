import { parseArgs } from 'node:util';
import { buildBundle } from './build-bundle.ts';

/** `npm run build [-- --out-dir DIR]`: prints the bundle's absolute path as the last line. */
let outDir: string | undefined;
try {
  outDir = parseArgs({ options: { 'out-dir': { type: 'string' } }, strict: true }).values['out-dir'];
} catch (err) {
  process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)} (usage: npm run build [-- --out-dir DIR])\n`);
  process.exit(2);
}
const built = await buildBundle({ root: process.cwd(), outDir });
if (!built.ok) {
  process.stderr.write(`${built.reason}\n`);
  process.exit(1);
}
process.stdout.write(`${built.inputs.length} inputs, metafile ${built.metafile}\n${built.bundle}\n`);
