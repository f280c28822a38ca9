import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Clock } from '../../app/core/clock.ts';
import { whatGrew } from '../../reports/heap/what-grew.ts';
import type { HeapEvidence, HeapSnapshotInfo } from '../../reports/schemas/deploy-evidence.ts';
import { HOST_TOOL, HOST_OPS } from '../remote/host-tool.ts';
import { parseHostReply } from '../remote/host-replies.ts';
import { asRoot } from '../remote/privilege.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh } from '../remote/sh-quote.ts';
import { scrapeUnits } from '../watch/service-probe.ts';
import { heapDir } from './heap-dir.ts';

export interface HostSnapshotOptions {
  service: string;
  unit: string;
  appDir: string;
  port: number;
  clock: Clock;
  /** The second snapshot waits for this many more messages handled (or `maxWaitMs`). */
  messagesApart: number;
  maxWaitMs?: number;
  analyse?: typeof whatGrew;
}

const MB = 1024 * 1024;

/** One snapshot by the host tool as root (one exact sudoers line), then the messages handled right after it. */
async function snapshot(shell: RemoteShell, o: HostSnapshotOptions): Promise<{ ok: true; file: string; info: HeapSnapshotInfo; messages: number } | { ok: false; reason: string }> {
  const r = await shell.exec(asRoot('/usr/bin/node', HOST_TOOL, 'heap-snapshot', heapDir(o.service), o.unit), { timeoutMs: 180_000 });
  if (r.failure) return { ok: false, reason: `heap-snapshot: ${r.failure}` };
  const reply = parseHostReply('heap-snapshot', HOST_OPS.heapSnapshot.reply, r.code, r.stdout, r.stderr);
  if (!reply.ok) return reply;
  // The process is blocked while it writes: the count read now is the count at the snapshot.
  const m = await scrapeUnits(shell, o.appDir, o.port);
  if (!m.ok) return m;
  const v = reply.value;
  return {
    ok: true, file: v.file, messages: m.scrape.messages,
    info: { bytes: v.bytes, mode: v.mode.toString(8), ms: v.ms, rssBeforeMb: v.rssBeforeKb / 1024, peakRssMb: Math.max(v.hwmAfterKb, v.rssBeforeKb) / 1024, peakRaised: v.hwmAfterKb > v.hwmBeforeKb, limitsLifted: v.limitsLifted },
  };
}

/**
 * Two heap snapshots of the live service a known number of messages apart, written 0600 into its
 * private dir by Node's --heapsnapshot-signal, fetched over SFTP, removed from the host, and read by
 * memlab into "what grew, and what holds it". The local copies go too: a heap holds the service's secrets.
 */
export async function hostHeapEvidence(shell: RemoteShell, o: HostSnapshotOptions): Promise<HeapEvidence> {
  const ev: HeapEvidence = { snapshots: [], messagesBetween: null, secondsBetween: null, whatGrew: { ok: false, reason: 'not read' } };
  const remote: string[] = [];
  const local = await mkdtemp(join(tmpdir(), 'leakproof-heap-'));
  try {
    const first = await snapshot(shell, o);
    if (!first.ok) return { ...ev, whatGrew: { ok: false, reason: first.reason } };
    remote.push(first.file);
    const started = o.clock.now();
    for (let seen = first.messages; seen < first.messages + o.messagesApart && o.clock.now() - started < (o.maxWaitMs ?? 30_000); ) {
      await o.clock.sleep(1_000);
      const m = await scrapeUnits(shell, o.appDir, o.port);
      if (m.ok) seen = m.scrape.messages;
    }
    const second = await snapshot(shell, o);
    if (!second.ok) return { ...ev, whatGrew: { ok: false, reason: second.reason } };
    remote.push(second.file);
    ev.snapshots = [first.info, second.info];
    ev.messagesBetween = second.messages - first.messages;
    ev.secondsBetween = (o.clock.now() - started) / 1000;
    const files = remote.map((f) => join(local, posix.basename(f)));
    for (const [i, f] of remote.entries()) {
      const got = await (shell.get?.(f, files[i] ?? '', 300_000) ?? Promise.resolve({ ok: false, reason: 'this connection cannot download' }));
      if (!got.ok) return { ...ev, whatGrew: { ok: false, reason: got.reason } };
    }
    const [before = '', after = ''] = files;
    const read = await (o.analyse ?? whatGrew)({ before, after });
    ev.whatGrew = read.ok ? { ...read, snapshotMs: first.info.ms + second.info.ms, snapshotMb: Math.round((second.info.bytes / MB) * 10) / 10 } : read;
    return ev;
  } finally {
    if (remote.length > 0) await shell.exec(sh('rm', '-f', '--', ...remote), { timeoutMs: 15_000 });
    await rm(local, { recursive: true, force: true });
  }
}
