import { Command } from 'commander';
import { measureWsThroughput } from './measure-ws-throughput.ts';

const program = new Command()
  .name('run-ws-throughput')
  .description('Offer increasing WS push rates from the emulator to ccxt in one process and print what was sustained.')
  .option('--rates <list>', 'comma-separated msg/s', '2000,5000,10000,15000,20000,30000')
  .option('--seconds <n>', 'seconds per rate', '5')
  .option('--symbols <n>', 'symbols watched', '20')
  .parse();

const opts = program.opts<{ rates: string; seconds: string; symbols: string }>();
const rates = opts.rates.split(',').map(Number);
if (rates.some((r) => !(r > 0))) {
  console.error(`--rates must be positive numbers, got ${opts.rates}`);
  process.exit(2);
}
for (const rate of rates) {
  const r = await measureWsThroughput({ rate, seconds: Number(opts.seconds), symbols: Number(opts.symbols) });
  console.log(JSON.stringify(r));
}
