import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactText } from './redact.ts';

describe('redactText', () => {
  it('removes given secrets and env values wherever they appear', () => {
    const out = redactText('ssh -i key --pass hunter22 LEAKPROOF_X=s3cr3tvalue ok', {
      secrets: ['hunter22'],
      env: { LEAKPROOF_X: 's3cr3tvalue', SHORT: 'ab' },
    });
    expect(out).toBe(`ssh -i key --pass ${REDACTED} LEAKPROOF_X=${REDACTED} ok`);
  });

  it('removes key-like shapes nobody named', () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----';
    expect(redactText(`key: ${pem} done`)).toBe(`key: ${REDACTED} done`);
    expect(redactText('Authorization: Bearer abcdefghijklmnop')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('passphrase=opensesame api_key: "k-123456" user=deploy')).toBe(
      `passphrase=${REDACTED} api_key: "${REDACTED}" user=deploy`,
    );
  });

  it('leaves ordinary evidence alone', () => {
    const line = '✅ Startup cleanup complete in 0.01s: OHLCV trimmed: 4, Memory: 187.2MB → 171.4MB';
    expect(redactText(line)).toBe(line);
  });
});

describe('redactSecrets', () => {
  it('walks objects and arrays, blanking values under secret-looking keys', () => {
    const input = { host: 'vps1', privateKey: 'AAAA', steps: [{ detail: 'used hunter22' }], n: 3, passphrase: null };
    const out = redactSecrets(input, { secrets: ['hunter22'] });
    expect(out).toEqual({ host: 'vps1', privateKey: REDACTED, steps: [{ detail: `used ${REDACTED}` }], n: 3, passphrase: null });
    expect(input.steps[0]!.detail).toBe('used hunter22');
  });
});
