import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** auto (the default): pretty on a terminal, JSON lines otherwise (journald, pipes, files). */
  format?: 'auto' | 'json' | 'pretty';
  /** Whether the output is a terminal, for `auto`. Default: false with a destination, else process.stdout.isTTY. */
  isTty?: boolean;
  level?: string;
  /** Where lines go; stdout (synchronously) by default, so the lines before an exit are not lost. */
  destination?: DestinationStream;
}

/**
 * Any key that can carry a credential is censored wherever it sits, so neither a logged config nor a
 * logged ccxt error echoes an API key.
 */
export const REDACT_PATHS = [
  'apiKey',
  'secret',
  'password',
  'token',
  '*.apiKey',
  '*.secret',
  '*.password',
  '*.token',
  '*.*.apiKey',
  '*.*.secret',
  'headers.authorization',
  '*.headers["X-BAPI-API-KEY"]',
  '*.headers["X-BAPI-SIGN"]',
];

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    base: { service: 'leakproof' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  // Node types isTTY as boolean, but it is undefined on a pipe.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
  const tty = options.isTty ?? (!options.destination && process.stdout.isTTY === true);
  // The journal keeps JSON lines: deploy's proof greps the message text inside them.
  const format = options.format === 'auto' || options.format === undefined ? (tty ? 'pretty' : 'json') : options.format;
  if (format === 'pretty') {
    // A stream, not a transport: no worker thread that could drop the last lines on exit.
    return pino(base, pretty({ colorize: tty, sync: true, destination: options.destination ?? 1 }));
  }
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
