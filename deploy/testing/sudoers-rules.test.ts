// @module-tag e2e
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { sudoersLines } from '../setup/render-host-files.ts';
import { renderSudoers, sudoCommands } from './sudoers-rules.ts';

const here = (rel: string) => readFile(new URL(rel, import.meta.url), 'utf8');

describe('sudoers: one source for setup, preflight and the test VPSes', () => {
  it('the harness grants exactly the lines deploy setup prints, for any unit name', () => {
    for (const service of ['leakproof', 'my-app.service', 'api@blue']) {
      const unit = service.endsWith('.service') ? service : `${service}.service`;
      expect(renderSudoers('deploy', sudoCommands({ unit }))).toBe(sudoersLines('deploy', service).map((l) => `${l}\n`).join(''));
    }
  });

  it('no other file keeps its own copy of the command list', async () => {
    // A second literal list is how the harness and preflight drifted from setup before.
    for (const file of ['./sudoers-rules.ts', '../pipeline/preflight.ts', '../e2e/e2e-support.ts']) {
      expect(await here(file), file).not.toMatch(/systemctl (restart|start|stop) \$\{/);
    }
  });
});
