import { mustRun, runCommand } from './run-command.ts';
import type { Vps } from './vps-handle.ts';

/** An active fault; undo() puts the VPS back (idempotent). */
export interface Fault {
  name: string;
  undo(): Promise<void>;
}

export interface PacketFaultOptions {
  /** Only this guest TCP port (default 22, sshd). */
  port?: number;
}

/** iptables inside the guest's netns only; the rule is inserted first so it wins over any other. */
async function guestRule(vps: Vps, name: string, match: string[], target: string[]): Promise<Fault> {
  const rule = ['INPUT', '-p', 'tcp', ...match, '-j', ...target];
  const ipt = (op: string, args: string[]): string[] => ['ip', 'netns', 'exec', vps.netns, 'iptables', '-w', '5', op, ...args];
  await mustRun(ipt('-I', rule));
  let undone = false;
  return {
    name,
    undo: async () => {
      if (undone) return;
      undone = true;
      await runCommand(ipt('-D', rule), { timeoutMs: 10_000 });
    },
  };
}

/** Silently drops packets to the port: new connects time out, live sessions stall. */
export function dropPackets(vps: Vps, o: PacketFaultOptions = {}): Promise<Fault> {
  return guestRule(vps, 'drop', ['--dport', String(o.port ?? 22)], ['DROP']);
}

/** Answers every packet to the port with a TCP reset: connects are refused, live sessions break at once. */
export function resetConnections(vps: Vps, o: PacketFaultOptions = {}): Promise<Fault> {
  return guestRule(vps, 'reset', ['--dport', String(o.port ?? 22)], ['REJECT', '--reject-with', 'tcp-reset']);
}

/** Drops each packet to the port with probability p (0 < p < 1): a lossy, flaky link. */
export function randomDrop(vps: Vps, probability: number, o: PacketFaultOptions = {}): Promise<Fault> {
  if (!(probability > 0 && probability < 1)) throw new Error(`randomDrop probability: must be in (0, 1), got ${probability}`);
  return guestRule(vps, `random-drop ${probability}`, ['--dport', String(o.port ?? 22), '-m', 'statistic', '--mode', 'random', '--probability', String(probability)], ['DROP']);
}

/** The guest's interface goes down: no packet in or out, as if the cable were pulled. */
export async function linkDown(vps: Vps): Promise<Fault> {
  const set = (state: string): string[] => ['ip', '-n', vps.netns, 'link', 'set', vps.guestIf, state];
  await mustRun(set('down'));
  let undone = false;
  return {
    name: 'link-down',
    undo: async () => {
      if (undone) return;
      undone = true;
      await mustRun(set('up'));
    },
  };
}

/**
 * htb rate limit on both ends of the veth (host side shapes uploads to the guest, guest side the replies).
 * tc netem is not available on these kernels; htb is.
 */
export async function slowLink(vps: Vps, rateKbit: number): Promise<Fault> {
  if (!(Number.isInteger(rateKbit) && rateKbit >= 8)) throw new Error(`slowLink rateKbit: must be an integer >= 8, got ${rateKbit}`);
  const ends: string[][] = [['tc'], ['tc', '-n', vps.netns]];
  const devs = [vps.hostVeth, vps.guestIf];
  // An explicit small burst: htb's default one let a 48 KiB upload through at 128 kbit in 2.4 s, not 3.
  for (const [i, tc] of ends.entries()) {
    const dev = devs[i] ?? '';
    await mustRun([...tc, 'qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', '10']);
    await mustRun([...tc, 'class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', `${rateKbit}kbit`, 'ceil', `${rateKbit}kbit`, 'burst', '2k', 'cburst', '2k']);
  }
  let undone = false;
  return {
    name: `slow-link ${rateKbit}kbit`,
    undo: async () => {
      if (undone) return;
      undone = true;
      for (const [i, tc] of ends.entries()) await runCommand([...tc, 'qdisc', 'del', 'dev', devs[i] ?? '', 'root'], { timeoutMs: 10_000 });
    },
  };
}
