import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callable, load, loadApp } from './load-app.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('loadApp', () => {
  it('loads every export a probe calls from the tree at root, checked', async () => {
    const app = await loadApp(ROOT);
    expect(app.lines.STARTUP_LINE_RE).toBeInstanceOf(RegExp);
    expect(app.configSchema.safeParse({}).success).toBe(true);
    expect(new app.FakeClock(0).now()).toBe(0);
  });

  it('names a missing or wrong export instead of failing later inside a probe', async () => {
    await expect(load(ROOT, 'app/core/clock.ts', z.object({ sleepForever: callable('sleepForever') }))).rejects.toThrow(
      'app/core/clock.ts: sleepForever: sleepForever is not a function',
    );
    await expect(load(ROOT, 'app/cleanup/cleanup-lines.ts', z.object({ IMMEDIATE_START_LINE: callable('IMMEDIATE_START_LINE') }))).rejects.toThrow(
      'IMMEDIATE_START_LINE is not a function',
    );
  });
});
