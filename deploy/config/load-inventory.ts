import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { validateInventory, type Inventory } from './inventory.ts';

/** Loads a YAML inventory, or a TS/JS module whose default export is the inventory object. */
export async function loadInventory(file: string): Promise<{ ok: true; inventory: Inventory } | { ok: false; reason: string }> {
  let data: unknown;
  try {
    if (/\.(ts|mts|js|mjs)$/.test(file)) {
      const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
      data = mod.default;
    } else {
      data = parseYaml(await readFile(file, 'utf8'));
    }
  } catch (err) {
    return { ok: false, reason: `inventory ${file}: ${(err as Error).message.split('\n')[0]}` };
  }
  return validateInventory(data);
}
