/**
 * What a test started (emulators, sources, managers), closed newest first by one `closeAll()` in
 * afterEach, whichever of them the test got to start before it failed.
 */
export function closers() {
  const list: Array<() => Promise<unknown>> = [];
  return {
    add<T>(value: T, close: (v: T) => Promise<unknown>): T {
      list.push(() => close(value));
      return value;
    },
    async closeAll(): Promise<void> {
      for (const close of list.splice(0).reverse()) await close();
    },
  };
}
