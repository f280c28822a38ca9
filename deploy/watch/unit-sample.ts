/** One scrape of the service's /metrics, in the units the watch fits retained memory by. */
export interface UnitScrape {
  /** The heap the last cleanup's gc left; null before the first cleanup with gc. */
  retainedBytes: number | null;
  /** Epoch seconds of the last cleanup; null before the first. */
  cleanupAtS: number | null;
  cleanupIntervalS: number | null;
  /** Messages handled and listing turns at the moment the retained sample was taken. */
  retainedAt: { messages: number; listingTurns: number } | null;
  /** Messages handled, all topic kinds summed, and by kind. */
  messages: number;
  byKind: Record<string, number>;
  /** Streams started plus streams released. */
  listingTurns: number;
  rssBytes: number | null;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Prometheus text lines (comments already dropped) into the watch's units; unknown metrics are ignored. */
export function parseUnitScrape(lines: readonly string[]): UnitScrape {
  const s: UnitScrape = { retainedBytes: null, cleanupAtS: null, cleanupIntervalS: null, retainedAt: null, messages: 0, byKind: {}, listingTurns: 0, rssBytes: null };
  for (const line of lines) {
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const [, name, labelText = '', raw = ''] = m;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map((l) => [l[1], l[2]]));
    switch (name) {
      case 'leakproof_retained_heap_bytes':
        s.retainedBytes = value;
        break;
      case 'leakproof_cleanup_timestamp_seconds':
        s.cleanupAtS = value;
        break;
      case 'leakproof_cleanup_interval_seconds':
        s.cleanupIntervalS = value;
        break;
      case 'leakproof_messages_handled_total':
        s.messages += value;
        s.byKind[labels.kind ?? ''] = value;
        break;
      case 'leakproof_listing_turns_total':
        s.listingTurns += value;
        break;
      case 'leakproof_retained_heap_work':
        s.retainedAt ??= { messages: 0, listingTurns: 0 };
        if (labels.unit === 'message') s.retainedAt.messages = value;
        if (labels.unit === 'listing') s.retainedAt.listingTurns = value;
        break;
      case 'process_resident_memory_bytes':
        s.rssBytes = value;
        break;
    }
  }
  return s;
}
