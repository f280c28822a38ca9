/** The app files the fixes live in (root-relative), and how steps name the config. */
export const MANAGER = 'app/manager/market-data-manager.ts';
export const CLEANUP_TASK = 'app/cleanup/periodic-memory-cleanup.ts';
export const START_SERVICE = 'app/service/start-service.ts';
export const ENTRY = 'app/main.ts';
export const WATCHES = 'app/exchange/ccxt-watch.ts';
export const PACKAGE = 'package.json';

/** A config path as a declaration ref: `limits.trades` → the `trades` property of ServiceConfig's `limits`. */
export const config = (path: string) => `ServiceConfig#${path}`;

/** Why trimTo × 1000 cannot change what a BoundedList keeps. */
export const CAPACITY_BOUNDS_LIST =
  'listFor() builds the BoundedList with capacity = limit and push evicts the oldest, so the list cannot outgrow the limit whatever trimTo is given';
