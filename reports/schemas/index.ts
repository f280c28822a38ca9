export * from './common.ts';
export * from './qa-result.ts';
export * from './deploy-evidence.ts';
export * from './bench-result.ts';
