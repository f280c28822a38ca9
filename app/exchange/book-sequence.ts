/**
 * Bybit numbers the deltas of an `orderbook.N` topic with `u` (+1 each; a snapshot starts over), but
 * ccxt's handleOrderBook ignores it, so a lost or reordered delta would leave a wrong book with no sign.
 * This guard keeps the last applied `u` as the ccxt book's `nonce` (so it goes when the book is purged,
 * no map of its own). On a gap it drops the delta and those after it and resubscribes the topic, so
 * the server sends a fresh snapshot that resets ccxt's book.
 */

interface WsClientLike {
  send(message: unknown): Promise<unknown>;
}

interface BookMessage {
  topic?: unknown;
  type?: unknown;
  data?: { s?: unknown; u?: unknown };
}

interface ProBooks {
  orderbooks: Record<string, { nonce?: number | undefined } | undefined>;
  safeSymbol(marketId: string, market?: undefined, delimiter?: undefined, marketType?: string): string;
  handleOrderBook(client: WsClientLike, message: BookMessage): void;
}

/** The nonce of a book waiting for its snapshot after a gap. */
const RESYNCING = -1;

export type BookStep = 'apply' | 'gap' | 'drop';

/** Pure: what to do with a book message, given the `u` last applied to that book. */
export function bookStep(last: number | undefined, type: unknown, u: unknown): BookStep {
  if (type === 'snapshot' || typeof u !== 'number') return 'apply';
  if (last === RESYNCING) return 'drop';
  return last !== undefined && u === last + 1 ? 'apply' : 'gap';
}

export function guardBookSequence(ex: object, onGap: (topic: string) => void): void {
  const target = ex as ProBooks;
  const handle = target.handleOrderBook.bind(ex);
  let resyncs = 0;
  target.handleOrderBook = (client, message) => {
    const u = message.data?.u;
    const symbol = target.safeSymbol(String(message.data?.s ?? ''), undefined, undefined, 'contract');
    const step = bookStep(target.orderbooks[symbol]?.nonce, message.type, u);
    if (step === 'drop') return;
    if (step === 'apply') {
      handle(client, message);
      const book = target.orderbooks[symbol];
      if (book && typeof u === 'number') book.nonce = u;
      return;
    }
    const book = target.orderbooks[symbol];
    if (book) book.nonce = RESYNCING;
    const topic = String(message.topic ?? '');
    onGap(topic);
    const id = `leakproof-resync-${++resyncs}`;
    // Unknown req_ids leave ccxt's own subscription records alone. A failed send closes the client, and
    // the stream loop's reconnect resubscribes anyway.
    client
      .send({ op: 'unsubscribe', req_id: `${id}-u`, args: [topic] })
      .then(() => client.send({ op: 'subscribe', req_id: `${id}-s`, args: [topic] }))
      .catch(() => undefined);
  };
}
