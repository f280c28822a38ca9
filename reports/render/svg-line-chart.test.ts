import { describe, expect, it } from 'vitest';
import { checkXml } from '../testing/check-xml.ts';
import { niceTicks, renderLineChart } from './svg-line-chart.ts';

describe('niceTicks', () => {
  it.each([
    [0, 10, [0, 2, 4, 6, 8, 10]],
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [95, 410, [100, 200, 300, 400]],
    [5, 5, [5]],
  ])('%d..%d', (lo, hi, ticks) => expect(niceTicks(lo, hi)).toEqual(ticks));
});

describe('renderLineChart', () => {
  it('draws one polyline per series inside the plot, with a legend entry each', () => {
    const svg = renderLineChart({
      title: 'a & b',
      xLabel: 's',
      yLabel: 'MB',
      width: 400,
      height: 300,
      series: [
        { name: 'flat', color: '#000', points: [{ x: 0, y: 10 }, { x: 10, y: 10 }] },
        { name: 'rising', color: '#f00', dashed: true, points: [{ x: 0, y: 10 }, { x: 10, y: 50 }] },
      ],
    });
    expect(checkXml(svg).ok).toBe(true);
    const lines = [...svg.matchAll(/<polyline data-series="(\w+)"[^>]*points="([^"]+)"/g)];
    expect(lines.map((l) => l[1])).toEqual(['flat', 'rising']);
    const rising = lines[1]![2]!.split(' ').map((p) => p.split(',').map(Number));
    // SVG y grows downwards: the rising series must end higher on screen than it starts.
    expect(rising[1]![1]!).toBeLessThan(rising[0]![1]!);
    for (const [x, y] of rising) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(400);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(300);
    }
    expect(svg).toContain('>flat</text>');
    expect(svg).toContain('a &amp; b');
  });

  it('copes with no points at all', () => {
    expect(checkXml(renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'e', color: '#000', points: [] }] })).ok).toBe(true);
  });
});
