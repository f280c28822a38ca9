import { Writable } from 'node:stream';

/** A pino destination that keeps each JSON line, for asserting on message texts and their order. */
export function lineSink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const records = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { msg?: string; level: number });
  return { stream, records, messages: () => records().map((r) => r.msg ?? '') };
}
