import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the unit tier guard', () => {
  it('refuses to start a process and names the tag that moves the file to the e2e tier', () => {
    expect(() => execFileSync('true')).toThrow(/child_process\.execFileSync.*@module-tag e2e/);
    expect(() => spawn('true')).toThrow(/child_process\.spawn;/);
  });
});
