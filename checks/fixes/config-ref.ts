/** How steps name the config: `limits.trades` → the `trades` property of ServiceConfig's `limits`. */
export const config = (path: string) => `ServiceConfig#${path}`;

/** Why trimTo × 1000 cannot change what a BoundedList keeps. */
export const CAPACITY_BOUNDS_LIST =
  'listFor() builds the BoundedList with capacity = limit and push evicts the oldest, so the list cannot outgrow the limit whatever trimTo is given';
