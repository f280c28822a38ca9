import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonLine } from './json-line.ts';

const Ready = z.object({ port: z.number() });

describe('parseJsonLine', () => {
  it('returns the value the schema reads', () => expect(parseJsonLine('{"port":8080}', Ready)).toEqual({ port: 8080 }));
  it.each(['not json', '{"port":"8080"}', '', '{"port":'])('is undefined for %j', (line) => expect(parseJsonLine(line, Ready)).toBeUndefined());
});
