import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh } from '../remote/sh-quote.ts';
import { unitName } from '../remote/unit-status.ts';
import { parseUnitScrape, type UnitScrape } from './unit-sample.ts';

const LISTENING = /HTTP listening on http:\/\/[^:\s]+:(\d+)/;

/** The loopback port this invocation listens on, from its own "HTTP listening" line (the port may be 0 in config). */
export async function servicePort(shell: RemoteShell, invocationId: string): Promise<{ ok: true; port: number } | { ok: false; reason: string }> {
  const j = await shell.exec(sh('journalctl', `_SYSTEMD_INVOCATION_ID=${invocationId}`, '-o', 'cat', '--no-pager'), { timeoutMs: 15_000 });
  const port = Number(LISTENING.exec(j.stdout)?.[1]);
  return Number.isInteger(port) && port > 0 ? { ok: true, port } : { ok: false, reason: `no "HTTP listening on" line in invocation ${invocationId}` };
}

/** One /metrics scrape over the SSH session, by the host tool on the host's loopback: no port opened. */
export async function scrapeUnits(shell: RemoteShell, appDir: string, port: number): Promise<{ ok: true; scrape: UnitScrape; atMs: number } | { ok: false; reason: string }> {
  const r = await hostTool(shell, HOST_OPS.metrics, appDir, String(port));
  return r.ok ? { ok: true, scrape: parseUnitScrape(r.value.lines), atMs: r.value.at } : r;
}

/** A systemd memory limit in bytes; null for "infinity" or unset. */
export const limitBytes = (v: string | undefined): number | null => (v && /^\d+$/.test(v) && BigInt(v) < 2n ** 63n ? Number(v) : null);

export async function memoryLimits(shell: RemoteShell, unit: string): Promise<{ high: number | null; max: number | null }> {
  const r = await shell.exec(sh('systemctl', 'show', '-p', 'MemoryHigh,MemoryMax', unitName(unit)), { timeoutMs: 15_000 });
  const kv = new Map(r.stdout.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()] as const));
  return { high: limitBytes(kv.get('MemoryHigh')), max: limitBytes(kv.get('MemoryMax')) };
}
