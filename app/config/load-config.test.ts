import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';

const files = (map: Record<string, string>) => (path: string) => {
  const text = map[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return text;
};

describe('loadConfig', () => {
  it('gives the documented defaults with no file and no env', () => {
    const r = loadConfig({ env: {} });
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.exchange).toBe('sim');
    expect(r.config.timeframes).toEqual(['1m', '5m', '30m', '4h']);
    expect(r.config.refresh.ohlcvSeconds).toEqual({ '1m': 300, '5m': 900, '30m': 3600, '4h': 14400 });
    expect(r.config.refresh.tickerSeconds).toBe(60);
    expect(r.config.limits.oiHistory).toBe(288);
    expect(r.config.cleanup.intervalSeconds).toBe(600);
    expect(r.config.http).toMatchObject({ host: '127.0.0.1', port: 9400 });
  });

  it('reads YAML and JSON files, LEAKPROOF_CONFIG when --config is absent', () => {
    const read = files({ '/c.yaml': 'http:\n  port: 9500\nlimits:\n  ohlcv:\n    1m: 100\n', '/c.json': '{"topN": 3}' });
    const y = loadConfig({ configPath: '/c.yaml', env: {}, readFile: read });
    const j = loadConfig({ env: { LEAKPROOF_CONFIG: '/c.json' }, readFile: read });
    if (!y.ok || !j.ok) throw new Error('expected ok');
    expect(y.config.http.port).toBe(9500);
    expect(y.config.limits.ohlcv).toEqual({ '1m': 100 });
    expect(j.config.topN).toBe(3);
    expect(j.source).toBe('/c.json');
  });

  it('applies LEAKPROOF_<SECTION>_<KEY> overrides over the file', () => {
    const r = loadConfig({
      configPath: '/c.yaml',
      readFile: files({ '/c.yaml': 'http:\n  port: 9500\n' }),
      env: {
        LEAKPROOF_HTTP_PORT: '0',
        LEAKPROOF_CLEANUP_INTERVAL_SECONDS: '30',
        LEAKPROOF_SYMBOLS: 'BTC/USDT:USDT, ETH/USDT:USDT',
        LEAKPROOF_SIM_FAULTS_MALFORMED_EVERY: '7',
        LEAKPROOF_SIM_FAULTS_RATE_LIMIT_RATE: '0.25',
        LEAKPROOF_CLEANUP_ENABLED: 'false',
        LEAKPROOF_LIMITS_OHLCV_1M: '500',
        LEAKPROOF_LOG_FORMAT: 'pretty',
        LEAKPROOF_NOT_A_SETTING: 'x',
      },
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.http.port).toBe(0);
    expect(r.config.cleanup.intervalSeconds).toBe(30);
    expect(r.config.symbols).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(r.config.sim.faults.malformedEvery).toBe(7);
    expect(r.config.sim.faults.rateLimit.rate).toBe(0.25);
    expect(r.config.cleanup.enabled).toBe(false);
    expect(r.config.limits.ohlcv['1m']).toBe(500);
    expect(r.config.log.format).toBe('pretty');
    expect(r.warnings).toEqual(['LEAKPROOF_NOT_A_SETTING: matches no setting, ignored']);
  });

  it.each([
    [{ LEAKPROOF_HTTP_PORT: '70000' }, 'http.port: must be ≤ 65535 (from LEAKPROOF_HTTP_PORT)'],
    [{ LEAKPROOF_HTTP_PORT: 'abc' }, 'http.port: must be a port number (from LEAKPROOF_HTTP_PORT)'],
    [{ LEAKPROOF_CLEANUP_INTERVAL_SECONDS: '0' }, 'cleanup.intervalSeconds: must be ≥ 1'],
    [{ LEAKPROOF_EXCHANGE: 'binance' }, "exchange: must be 'sim' or 'bybit'"],
    [{ LEAKPROOF_TIMEFRAMES: '1m,weekly' }, 'timeframes.1: must be a timeframe'],
  ])('rejects %o naming the field and the reason', (env, reason) => {
    const r = loadConfig({ env });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('names unknown keys, bad files and missing files', () => {
    const read = files({ '/bad.yaml': 'http:\n  prot: 1\n', '/broken.json': '{', '/list.yaml': '- 1\n' });
    const typo = loadConfig({ configPath: '/bad.yaml', env: {}, readFile: read });
    const broken = loadConfig({ configPath: '/broken.json', env: {}, readFile: read });
    const list = loadConfig({ configPath: '/list.yaml', env: {}, readFile: read });
    const missing = loadConfig({ configPath: '/nope.yaml', env: {}, readFile: read });
    expect(typo).toEqual({ ok: false, reason: 'http: Unrecognized key: "prot"' });
    expect(broken.ok === false && broken.reason).toMatch(/^config file \/broken\.json: not valid JSON/);
    expect(list).toEqual({ ok: false, reason: 'config file /list.yaml: must hold a mapping at the top level' });
    expect(missing).toEqual({ ok: false, reason: 'config file /nope.yaml: not found' });
  });

  it('takes API keys from the environment only', () => {
    const r = loadConfig({ env: { LEAKPROOF_BYBIT_API_KEY: 'k', LEAKPROOF_BYBIT_API_SECRET: 's' } });
    if (!r.ok) throw new Error(r.reason);
    expect(r.secrets).toEqual({ apiKey: 'k', secret: 's' });
    expect(JSON.stringify(r.config)).not.toContain('"k"');
    expect(r.warnings).toEqual([]);
  });
});
