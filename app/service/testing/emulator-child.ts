/**
 * The emulator alone in its own process, so a rate measurement charges only the service for the
 * service's CPU. Prints {url, wsUrl, simNow} as one JSON line, then runs until SIGTERM or until its stdin closes.
 * `--rate N` pins one global WS push rate (msg/s); without it the emulator pushes on Bybit's cadence. A
 * stdin line `rate N` pins the rate from then on, so a measurement can take an idle baseline first.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startEmulator } from '../../sim/emulator.ts';

const { values } = parseArgs({
  options: { rate: { type: 'string' }, speed: { type: 'string' }, symbols: { type: 'string' } },
});
const emulator = await startEmulator({
  port: 0,
  ...(values.rate === undefined ? {} : { wsRate: Number(values.rate) }),
  speed: Number(values.speed ?? 1),
  symbols: Number(values.symbols ?? 20),
});
process.stdout.write(`${JSON.stringify({ url: emulator.url, wsUrl: emulator.wsUrl, simNow: emulator.clock.now() })}\n`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
// The parent holds our stdin: when it dies, even by SIGKILL, stdin ends and so do we.
process.stdin.on('end', stop);
createInterface({ input: process.stdin }).on('line', (line) => {
  const rate = /^rate (\d+(?:\.\d+)?)$/.exec(line.trim())?.[1];
  if (rate !== undefined) emulator.setWsRate(Number(rate));
});
