import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('puts the emoji line in msg so journalctl -o cat | grep 🧹 finds it', () => {
    const s = sink();
    createLogger({ destination: s.stream }).info('🧹 Memory cleanup task started (interval: 600s)');
    expect(s.lines()[0]).toMatchObject({ msg: '🧹 Memory cleanup task started (interval: 600s)', level: 30 });
  });

  it('censors credentials wherever they are nested', () => {
    const s = sink();
    const log = createLogger({ destination: s.stream });
    log.info({ apiKey: 'AK-123', config: { bybit: { secret: 'S-456' } }, exchange: { secret: 'S-789' } }, 'starting');
    const text = JSON.stringify(s.lines());
    expect(text).not.toMatch(/AK-123|S-456|S-789/);
    expect(text).toContain('[redacted]');
  });

  it('is pretty on a terminal and JSON lines otherwise (journald, pipes), unless the format is explicit', () => {
    const line = '🧹 Next memory cleanup in 600s';
    const tty = sink();
    createLogger({ isTty: true, destination: tty.stream }).info(line);
    const text = tty.text();
    expect(text).toContain(line);
    expect(text).toMatch(/INFO/);
    expect(() => JSON.parse(text)).toThrow();

    for (const options of [{ isTty: false }, { isTty: true, format: 'json' as const }]) {
      const piped = sink();
      createLogger({ ...options, destination: piped.stream }).info(line);
      expect(piped.lines()).toEqual([expect.objectContaining({ msg: line, service: 'leakproof' })]);
    }
  });
});
