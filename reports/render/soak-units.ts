import type { SoakBuild, SoakRan, SoakSample } from '../schemas/qa-result.ts';
import type { UnitName } from '../units/unit-fit.ts';
import type { ChartSeries } from './svg-line-chart.ts';

/** What each unit is called and counted by, for tables and charts. */
export const UNIT_VIEW: Readonly<Record<UnitName, { title: string; axis: string; x: (s: SoakSample) => number; bytes: (b: number) => string }>> = {
  message: { title: 'WS message', axis: 'WS messages', x: (s) => s.messages, bytes: (b) => `${b.toFixed(1)} B` },
  listing: { title: 'listing turn', axis: 'listing turns (symbols listed, streamed, delisted, evicted)', x: (s) => s.listingTurns, bytes: (b) => `${(b / 1024).toFixed(1)} KB` },
  hour: { title: 'simulated hour', axis: 'simulated hours', x: (s) => s.simH, bytes: (b) => `${(b / 1048576).toFixed(2)} MB` },
};
export const UNITS: readonly UnitName[] = ['message', 'listing', 'hour'];
const COLORS = { real: '#059669', fixRemoved: '#dc2626' } as const;
const BUILDS = [
  ['real', 'real build'],
  ['fixRemoved', 'fix-removed build'],
] as const;

/** The one line the CLI prints for the soak. */
export function soakSummary(soak: SoakRan): string {
  const p = soak.builds.real.projection;
  return p ? `soak: real build ${p.mbPerDay.toFixed(1)} MB/day at the profile, fix-removed ${soak.builds.fixRemoved.ok ? 'not flagged' : 'flagged'}` : 'soak: no fit';
}

/** One row per build and unit: slope, interval, floor, tolerance, MB/day at the profile, verdict. */
export function unitRows(soak: SoakRan): string[][] {
  return BUILDS.flatMap(([key, name]) => {
    const b = soak.builds[key];
    if (!b.fit.ok) return [[name, 'all', `no fit: ${b.fit.reason}`, '', '', '', '', '❌']];
    return b.fit.slopes.map((s) => {
      const v = UNIT_VIEW[s.unit];
      const perDay = b.projection?.perUnit.find((u) => u.unit === s.unit)?.mbPerDay ?? 0;
      const ok = b.units.find((u) => u.unit === s.unit)?.ok ?? false;
      return [name, `per ${v.title}`, `${v.bytes(s.slope)} [${v.bytes(s.lo)}, ${v.bytes(s.hi)}]`, v.bytes(s.floor), v.bytes(soak.tolerance[s.unit]), v.bytes(soak.targets[s.unit]), perDay.toFixed(1), ok ? '✅' : '❌'];
    });
  });
}
export const UNIT_HEAD = ['Build', 'Unit', 'Retained (95% CI)', 'This run sees ≥', 'Tolerance', 'Target floor', 'MB/day at profile', 'Holds'];

/** The profile and projection, in words. */
export function profileLines(soak: SoakRan): string[] {
  const p = soak.profile;
  const proj = (b: SoakBuild) =>
    b.projection
      ? `${b.projection.mbPerDay.toFixed(1)} MB/day [${b.projection.mbPerDayLo.toFixed(1)}, ${b.projection.mbPerDayHi.toFixed(1)}], headroom reached ${
          b.projection.daysToHeadroom === null ? 'never' : `in ${b.projection.daysToHeadroom.toFixed(1)} days`
        }`
      : 'no projection';
  return [
    `Production profile: top ${p.symbols} symbols, ${p.msgPerSecond.toFixed(0)} WS msg/s (Bybit's push cadences as the emulator models them), ` +
      `${p.listingTurnsPerDay} listing turns a day, ${p.daysBetweenRestarts} days between restarts; MemoryHigh ${p.memoryHighMb.toFixed(0)} MB (${p.memoryHighSource}), ` +
      `headroom ${p.headroomMb.toFixed(0)} MB above the real build's peak RSS.`,
    `Projected: real build ${proj(soak.builds.real)}; fix-removed build ${proj(soak.builds.fixRemoved)}.`,
  ];
}

/** Retained MB against one unit over the phase that moved it: each build's samples and its fitted slope. */
export function unitSeries(soak: SoakRan, unit: UnitName): ChartSeries[] {
  const v = UNIT_VIEW[unit];
  return BUILDS.flatMap(([key, name]) => {
    const b = soak.builds[key];
    const own = b.samples.filter((s) => s.phase === unit).map((s) => ({ x: v.x(s), y: s.retainedMb }));
    const slope = b.fit.ok ? b.fit.slopes.find((s) => s.unit === unit)?.slope : undefined;
    if (own.length === 0) return [];
    const mx = own.reduce((a, p) => a + p.x, 0) / own.length;
    const my = own.reduce((a, p) => a + p.y, 0) / own.length;
    const line = (x: number) => ({ x, y: my + ((slope ?? 0) * (x - mx)) / 1048576 });
    const xs = own.map((p) => p.x);
    return [
      { name: `${name} retained`, color: COLORS[key], points: own },
      { name: `${name} fit ${slope === undefined ? 'n/a' : v.bytes(slope)}/${v.title}`, color: COLORS[key], dashed: true, points: [line(Math.min(...xs)), line(Math.max(...xs))] },
    ];
  });
}

/** Growth at the profile over the days between restarts, per build, against the MemoryHigh headroom. */
export function projectionSeries(soak: SoakRan): ChartSeries[] {
  const days = Math.max(1, soak.profile.daysBetweenRestarts);
  const at = (mbPerDay: number) => [0, days].map((d) => ({ x: d, y: mbPerDay * d }));
  return [
    ...BUILDS.flatMap(([key, name]) => {
      const p = soak.builds[key].projection;
      return p ? [{ name: `${name} ${p.mbPerDay.toFixed(1)} MB/day`, color: COLORS[key], points: at(p.mbPerDay) }] : [];
    }),
    { name: `MemoryHigh headroom ${soak.profile.headroomMb.toFixed(0)} MB`, color: '#6b7280', dashed: true, points: [0, days].map((x) => ({ x, y: soak.profile.headroomMb })) },
  ];
}

/** A Mermaid xychart (GitHub renders it) of the same series: x as labels, one line per series. */
export function mermaidChart(title: string, xLabel: string, series: readonly ChartSeries[]): string[] {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const yAt = (s: ChartSeries, x: number) => {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    const right = pts.find((p) => p.x >= x) ?? pts.at(-1);
    const left = [...pts].reverse().find((p) => p.x <= x) ?? pts[0];
    if (!left || !right) return 0;
    return right.x === left.x ? left.y : left.y + ((right.y - left.y) * (x - left.x)) / (right.x - left.x);
  };
  const fmt = (n: number) => (Math.abs(n) >= 1000 ? n.toFixed(0) : n.toPrecision(4));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title.replaceAll('"', "'")}"`,
    `  x-axis "${xLabel.replaceAll('"', "'")}" [${xs.map((x) => `"${fmt(x)}"`).join(', ')}]`,
    '  y-axis "MB"',
    ...series.map((s) => `  line [${xs.map((x) => yAt(s, x).toFixed(3)).join(', ')}]`),
    '```',
    `Lines in order: ${series.map((s) => s.name).join('; ')}.`,
  ];
}
