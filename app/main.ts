import { parseArgs } from 'node:util';
import { explicitExchangeUnderSystemd } from './config/explicit-exchange.ts';
import { loadConfig } from './config/load-config.ts';
import { createLogger } from './log/create-logger.ts';
import { startService } from './service/start-service.ts';

/** SIGTERM must end the process within 5 s (systemd's and the tests' budget); this is the backstop. */
const HARD_EXIT_MS = 4500;

function fail(line: string, code: number): never {
  process.stderr.write(`leakproof: ${line}\n`);
  process.exit(code);
}

let args: { config?: string | undefined };
try {
  args = parseArgs({ options: { config: { type: 'string' } }, strict: true }).values;
} catch (err) {
  fail(`${err instanceof Error ? err.message : String(err)} (usage: app/main.ts [--config PATH])`, 2);
}

const loaded = loadConfig({ configPath: args.config });
if (!loaded.ok) fail(`invalid config: ${loaded.reason}`, 2);
const explicit = explicitExchangeUnderSystemd(loaded, process.env);
if (!explicit.ok) fail(explicit.reason, 2);

const log = createLogger(loaded.config.log);
for (const warning of loaded.warnings) log.warn(warning);
log.info({ source: loaded.source, exchange: loaded.config.exchange, exchangeFrom: loaded.exchangeFrom ?? 'default' }, 'Starting leakproof market data service');

const service = await startService({ config: loaded.config, secrets: loaded.secrets, log }).catch((err: unknown) => {
  log.fatal({ err }, `Startup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  log.info(`Received ${signal}, shutting down`);
  setTimeout(() => {
    log.error(`Shutdown took longer than ${HARD_EXIT_MS} ms, exiting anyway`);
    process.exit(1);
  }, HARD_EXIT_MS).unref();
  service.stop().then(
    () => {
      log.info('Shutdown complete');
      process.exit(0);
    },
    (err: unknown) => {
      log.error({ err }, 'Shutdown failed');
      process.exit(1);
    },
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
