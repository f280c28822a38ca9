/** Polls `check` every 20 ms of real time until it holds, for at most `ms`: tests wait on effects, never on sleeps. */
export async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
