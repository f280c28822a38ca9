/**
 * What a heap snapshot costs the process that writes it: a child holding about `--heap-mb` of live
 * objects (trade-like records and their id strings, as the service's caches and a leak hold them) is
 * signalled the way the deploy does (--heapsnapshot-signal), and its RSS before and peak RSS (VmHWM)
 * after are read from /proc. The difference is the headroom MemoryMax must leave above the heap.
 *
 *   node --import tsx deploy/heap/testing/measure-snapshot-peak.ts --heap-mb 300
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'heap-mb': { type: 'string', default: '300' } } });
const heapMb = Number(values['heap-mb']);
const dir = await mkdtemp(join(tmpdir(), 'lp-snapshot-peak-'));
const fill = `
const held = [];
const target = ${heapMb} * 1048576;
while (process.memoryUsage().heapUsed < target) {
  for (let i = 0; i < 10000; i++) held.push({ id: 'T' + Math.random().toString(36).slice(2), price: Math.random(), amount: i, side: i % 2 ? 'buy' : 'sell' });
}
globalThis.gc();
process.stdout.write(JSON.stringify(process.memoryUsage()) + '\\n');
setInterval(() => held.length, 1000);
`;
const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`, '-e', fill], { stdio: ['ignore', 'pipe', 'inherit'] });
const pid = child.pid ?? 0;
const ready = await new Promise<string>((res) => child.stdout.once('data', (d: Buffer) => res(d.toString())));
const kb = async (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const rssBefore = await kb('VmRSS');
const hwmBefore = await kb('VmHWM');
const started = Date.now();
child.kill('SIGUSR2');
let file: string | undefined;
for (let i = 0; i < 1200 && !file; i++) {
  await new Promise((r) => setTimeout(r, 250));
  const name = (await readdir(dir)).find((n) => n.endsWith('.heapsnapshot'));
  const fds = await readdir(`/proc/${pid}/fd`);
  const open = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  if (name && !open.includes(join(dir, name))) file = join(dir, name);
}
const hwmAfter = await kb('VmHWM');
const size = file ? (await stat(file)).size / 1048576 : NaN;
child.kill();
await rm(dir, { recursive: true, force: true });
const heap = JSON.parse(ready) as { heapUsed: number };
console.log(JSON.stringify({
  heapUsedMb: Math.round(heap.heapUsed / 1048576), rssBeforeMb: Math.round(rssBefore), hwmBeforeMb: Math.round(hwmBefore), peakRssMb: Math.round(hwmAfter),
  extraMb: Math.round(hwmAfter - rssBefore), snapshotMb: Math.round(size), writeMs: Date.now() - started,
}));
