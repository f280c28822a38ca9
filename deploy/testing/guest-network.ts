import { mustRun, runCommand } from './run-command.ts';
import type { VpsLayout } from './vps-layout.ts';

/** Own netns per VPS; a veth pair host 10.200.N.1/24 <-> guest 10.200.N.2/24; loopback up. */
export async function createGuestNetwork(l: VpsLayout): Promise<void> {
  await mustRun(['ip', 'netns', 'add', l.name]);
  await mustRun(['ip', 'link', 'add', l.hostVeth, 'type', 'veth', 'peer', 'name', l.guestIf, 'netns', l.name]);
  await mustRun(['ip', 'addr', 'add', `${l.hostIp}/24`, 'dev', l.hostVeth]);
  await mustRun(['ip', 'link', 'set', l.hostVeth, 'up']);
  await mustRun(['ip', '-n', l.name, 'link', 'set', 'lo', 'up']);
  await mustRun(['ip', '-n', l.name, 'addr', 'add', `${l.guestIp}/24`, 'dev', l.guestIf]);
  await mustRun(['ip', '-n', l.name, 'link', 'set', l.guestIf, 'up']);
}

/** Idempotent: missing pieces are fine, so it also cleans half-built networks. */
export async function removeGuestNetwork(name: string, hostVeth: string): Promise<void> {
  await runCommand(['ip', 'link', 'del', hostVeth], { timeoutMs: 5_000 });
  await runCommand(['ip', 'netns', 'del', name], { timeoutMs: 5_000 });
}
