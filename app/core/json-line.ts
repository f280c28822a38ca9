import { z } from 'zod';

/** One line of a child's output, as `schema` reads it; undefined when it is not JSON or not that shape (a log line). */
export function parseJsonLine<T>(line: string, schema: z.ZodType<T>): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

const PinoLine = z.object({ msg: z.string() });
/** pino's `msg` of a JSON log line; any other line as it is. */
export const pinoMessage = (line: string): string => parseJsonLine(line, PinoLine)?.msg ?? line;
