/** Node's arguments to run `script`: a .ts source under tsx, a bundle (.mjs) on bare node. */
export const nodeScriptArgs = (script: string): string[] => (script.endsWith('.ts') ? ['--import', 'tsx', script] : [script]);
