import { memlabLoader } from '../checks/heap/memlab-loader.ts';
const [a, b] = process.argv.slice(2);
const old = new Set<number>();
(await memlabLoader.nodes(a!)).forEach((n) => void old.add(n.id));
const names = new Map<string, { c: number; b: number }>();
(await memlabLoader.nodes(b!)).forEach((n) => {
  if (old.has(n.id) || n.type !== 'code') return;
  const k = n.name.slice(0, 80);
  const t = names.get(k) ?? { c: 0, b: 0 };
  t.c++; t.b += n.self_size; names.set(k, t);
});
console.log([...names].sort((x, y) => y[1].b - x[1].b).slice(0, 25).map(([k, v]) => `${v.b}\t${v.c}\t${k}`).join('\n'));
