import type { UnitName } from '../../reports/units/unit-fit.ts';
import type { ShardPlan } from './shard-plan.ts';

/** Everything deploy needs to act on one host, fully resolved (no optional defaults left). */
export interface HostTarget {
  name: string;
  address: string;
  port: number;
  user: string;
  /** Explicit keys (--identity or inventory, then ssh_config IdentityFile); the agent and default keys come on top. */
  identityFiles: string[];
  /** Where the host's key is pinned; `knownHostsGiven` when a flag, inventory or ssh_config named them. */
  knownHostsFiles: string[];
  knownHostsGiven: boolean;
  /** ssh_config ProxyJump, already resolved (one hop). */
  jump: JumpTarget | undefined;
  appDir: string;
  service: string;
  /** Count 0: one plain unit; else the instances `run` of the template unit `<service>@.service`, one per shard. */
  shards: ShardPlan;
  logPattern: string;
  proofTimeoutMs: number;
  graceMs: number;
  watchMs: number;
  warmupMs: number;
  /** The watch fails when the projected growth reaches MemoryHigh within this many days. */
  memoryDays: number;
  /** QA's per-unit floors the watch judges by: the QA report's when the gate read one. */
  qaFloors: Readonly<Record<UnitName, number>>;
  /** The cleanup interval during the watch only (seconds), so a short watch gets enough retained samples. */
  watchCleanupS: number | undefined;
}

export interface JumpTarget {
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
}
