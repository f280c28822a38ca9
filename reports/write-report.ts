import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { renderDeployMarkdown } from './render/deploy-markdown.ts';
import { renderJson } from './render/json.ts';
import { renderQaHtml } from './render/qa-html.ts';
import { renderQaJunit } from './render/qa-junit.ts';
import { renderQaMarkdown } from './render/qa-markdown.ts';
import { redactSecrets, type RedactOptions } from './redact.ts';
import { BenchResult } from './schemas/bench-result.ts';
import { validate } from './schemas/common.ts';
import { DeployEvidence } from './schemas/deploy-evidence.ts';
import { QaResult } from './schemas/qa-result.ts';

export type ReportKind = 'qa' | 'deploy' | 'rollback' | 'bench';

/** The few fs calls the writer makes, so tests can run it in memory. */
export interface ReportFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
}

export interface WriteOptions {
  /** Root of generated output; default reports/out under the working directory. */
  outDir?: string;
  now?: () => Date;
  fs?: ReportFs;
}

export type Written =
  | { ok: true; stamp: string; paths: Record<string, string>; latest: Record<string, string> }
  | { ok: false; reason: string };

/** `yyyymmddThhmmssZ` in UTC: sortable, and free of characters that need quoting. */
export function stampOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll('-', '').replaceAll(':', '');
}

/** Writes `<outDir>/<kind>/<stamp>.<ext>` for each rendered file, then copies each to `latest.<ext>`. */
export async function writeReport(
  kind: ReportKind,
  files: Readonly<Record<string, string>>,
  options: WriteOptions = {},
): Promise<Written> {
  const fs = options.fs ?? nodeFs;
  const dir = join(options.outDir ?? join(process.cwd(), 'reports', 'out'), kind);
  const stamp = stampOf((options.now ?? (() => new Date()))());
  const paths: Record<string, string> = {};
  const latest: Record<string, string> = {};
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const [ext, content] of Object.entries(files)) {
      paths[ext] = join(dir, `${stamp}.${ext}`);
      await fs.writeFile(paths[ext], content);
    }
    // latest.* only moves once every stamped file exists, so it never mixes two runs.
    for (const [ext, path] of Object.entries(paths)) {
      latest[ext] = join(dir, `latest.${ext}`);
      await fs.copyFile(path, latest[ext]);
    }
  } catch (error) {
    return { ok: false, reason: `cannot write ${kind} report in ${dir}: ${(error as Error).message}` };
  }
  return { ok: true, stamp, paths, latest };
}

async function validated<T>(schema: z.ZodType<T>, value: unknown, kind: ReportKind, render: (v: T) => Record<string, string>, options: WriteOptions): Promise<Written> {
  const checked = validate(schema, value, `${kind} report`);
  return checked.ok ? writeReport(kind, render(checked.value), options) : checked;
}

/** `extra` carries files rendered outside reports/, such as the checks' SARIF log, under the same stamp. */
export function writeQaReport(result: unknown, options: WriteOptions = {}, extra: Readonly<Record<string, string>> = {}): Promise<Written> {
  return validated(QaResult, result, 'qa', (r) => ({
    json: renderJson(r),
    md: renderQaMarkdown(r),
    html: renderQaHtml(r),
    'junit.xml': renderQaJunit(r),
    ...extra,
  }), options);
}

/** Redacts first, then validates and writes: a secret never reaches the disk, even in an error path. */
export function writeDeployEvidence(
  evidence: unknown,
  options: WriteOptions & RedactOptions = {},
): Promise<Written> {
  const clean = redactSecrets(evidence, options);
  const kind = (clean as { kind?: unknown } | null)?.kind === 'rollback' ? 'rollback' : 'deploy';
  return validated(DeployEvidence, clean, kind, (e) => ({ json: renderJson(e), md: renderDeployMarkdown(e) }), options);
}

export function writeBenchResult(result: unknown, options: WriteOptions = {}): Promise<Written> {
  return validated(BenchResult, result, 'bench', (r) => ({ json: renderJson(r) }), options);
}
