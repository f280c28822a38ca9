/** The node:fs subset the host tool uses, as it calls it; node:fs fits, and tests pass an in-memory one. */
export interface HostFs {
  existsSync(path: string): boolean;
  readFileSync(path: string): Buffer;
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, data: string): void;
  appendFileSync(path: string, data: string, options?: { mode?: number }): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options?: { force?: boolean; recursive?: boolean }): void;
  copyFileSync(from: string, to: string): void;
  mkdirSync(path: string, options?: { recursive?: boolean; mode?: number }): void;
  statSync(path: string): { mode: number; uid: number; gid: number; mtimeMs: number };
  chmodSync(path: string, mode: number): void;
  readdirSync(path: string): string[];
}
export declare const STDIN_OPS: ReadonlySet<string>;
export declare function runHostOp(fs: HostFs, now: () => number, argv: readonly string[], stdinText?: string): { code: number; stdout: string };
