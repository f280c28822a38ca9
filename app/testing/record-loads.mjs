/**
 * `node --import ./app/testing/record-loads.mjs …`: appends the URL of every module the process loads to
 * the file named by RECORD_LOADS_TO, so a test can tell which modules a start really loaded (a bybit
 * start must load no app/sim module). Plain .mjs: it runs in the loader thread, before tsx's hooks.
 */
import { appendFileSync } from 'node:fs';
import process from 'node:process';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const out = process.env.RECORD_LOADS_TO;
if (isMainThread && out) register(import.meta.url);

export async function load(url, context, next) {
  if (out) appendFileSync(out, `${url}\n`);
  return next(url, context);
}
