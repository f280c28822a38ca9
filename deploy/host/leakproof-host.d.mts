/** The node:fs subset the host tool uses; tests pass an in-memory one. */
export type HostFs = Pick<
  typeof import('node:fs'),
  'existsSync' | 'readFileSync' | 'writeFileSync' | 'appendFileSync' | 'renameSync' | 'rmSync' | 'copyFileSync' | 'mkdirSync' | 'statSync' | 'chmodSync' | 'readdirSync'
>;
export declare const STDIN_OPS: ReadonlySet<string>;
export declare function runHostOp(fs: HostFs, now: () => number, argv: readonly string[], stdinText?: string): { code: number; stdout: string };
