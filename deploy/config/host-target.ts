/** Everything deploy needs to act on one host, fully resolved (no optional defaults left). */
export interface HostTarget {
  name: string;
  address: string;
  port: number;
  user: string;
  identityFile: string | undefined;
  knownHostsFile: string;
  appDir: string;
  service: string;
  files: string[] | undefined;
  logPattern: string;
  proofTimeoutMs: number;
  graceMs: number;
  watchMs: number;
  warmupMs: number;
  memoryBudgetMbPerMin: number;
}
