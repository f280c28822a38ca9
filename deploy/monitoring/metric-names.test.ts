import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from '../../app/metrics/service-metrics.ts';
import { RULES_SOURCE } from './render-rules.ts';

const Dashboard = z.object({ panels: z.array(z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })).min(1) })).min(1) });
const dashboard = Dashboard.parse(JSON.parse(readFileSync(fileURLToPath(new URL('./leakproof.dashboard.json', import.meta.url)), 'utf8')));
const names = (text: string) => new Set([...text.matchAll(/\bleakproof_[a-z_]+\b/g)].map((m) => m[0]));

describe('the dashboard and the alert rules', () => {
  it('read only metrics the service exports (a renamed metric would leave a panel or an alert silently empty)', async () => {
    const exported = new Set([...(await new ServiceMetrics().render()).body.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
    const used = new Set([...names(readFileSync(RULES_SOURCE, 'utf8')), ...dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...names(t.expr)]))]);
    expect(used.size).toBeGreaterThanOrEqual(8);
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
  });
});
