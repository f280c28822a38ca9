/**
 * Takes ccxt pro's deliveries straight from its message handlers. ccxt's handlers parse each message
 * into its caches and end with `client.resolve(result, messageHash)`, which settles a future only if a
 * watch* call is pending. Re-arming a watch* call per message costs a promise chain, a future, the watch
 * bookkeeping and a copy of the cache each time; the tap instead hands `result` to a listener
 * synchronously, while the handlers (and so ccxt's parsing) stay ccxt's own. A watch* call is still what
 * subscribes, once per (re)connection.
 */

interface TappableClient {
  subscriptions: Record<string, unknown>;
  futures: Record<string, unknown>;
  rejections: Record<string, unknown>;
  resolve(result: unknown, messageHash?: string): unknown;
  reject(error: unknown, messageHash?: string): unknown;
}

export interface TapListener {
  /** ccxt's resolved value for the hash; called inside ccxt's message handler, so it must not throw. */
  deliver(value: unknown): void;
  /** The hash, or its whole connection, failed (closed, timed out, an error reply). */
  fail(error: unknown): void;
}

export interface DeliveryTap {
  /** Listens to `messageHash` on every connection until the returned function is called. */
  listen(messageHash: string, listener: TapListener): () => void;
}

const isClient = (c: unknown): c is TappableClient =>
  typeof c === 'object' && c !== null && typeof (c as TappableClient).resolve === 'function' && typeof (c as TappableClient).reject === 'function';

/** Wraps `ex.client` so that every WS client it creates reports its resolves and rejects to the tap. */
export function tapDeliveries(ex: object): DeliveryTap {
  const listeners = new Map<string, TapListener>();
  const tapped = new WeakSet<object>();
  const target = ex as { client: (url: string) => unknown };
  const client = target.client.bind(ex);
  target.client = (url) => {
    const c = client(url);
    if (isClient(c) && !tapped.has(c)) {
      tapped.add(c);
      tapClient(c, listeners);
    }
    return c;
  };
  return {
    listen(messageHash, listener) {
      listeners.set(messageHash, listener);
      return () => {
        if (listeners.get(messageHash) === listener) listeners.delete(messageHash);
      };
    },
  };
}

function tapClient(c: TappableClient, listeners: ReadonlyMap<string, TapListener>): void {
  const resolve = c.resolve.bind(c);
  const reject = c.reject.bind(c);
  c.resolve = (result, messageHash) => {
    if (messageHash !== undefined) listeners.get(messageHash)?.deliver(result);
    return resolve(result, messageHash);
  };
  c.reject = (error, messageHash) => {
    if (messageHash === undefined) {
      // A connection-wide failure: ccxt rejects only the futures pending now, and with the tap none is.
      for (const hash of Object.keys(c.subscriptions)) listeners.get(hash)?.fail(error);
      return reject(error, messageHash);
    }
    const listener = listeners.get(messageHash);
    if (listener === undefined) return reject(error, messageHash);
    listener.fail(error);
    const pending = messageHash in c.futures;
    const out = reject(error, messageHash);
    // With no future pending ccxt stores the rejection for the next watch* call; the listener has it
    // already, and the resubscribe must not fail on it a second time.
    if (!pending) delete c.rejections[messageHash];
    return out;
  };
}
