import { describe, expect, it } from 'vitest';
import { explicitExchangeUnderSystemd } from './explicit-exchange.ts';
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
    [{ LEAKPROOF_TIMEFRAMES: '1m,weekly' }, 'timeframes.1: "weekly" is not a kline interval Bybit serves'],
  ])('rejects %o naming the field and the reason', (env, reason) => {
    const r = loadConfig({ env });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('says where the exchange was chosen (the config file or the variable), undefined when defaulted', () => {
    const read = files({ '/x.yaml': 'exchange: bybit\n', '/none.yaml': 'topN: 3\n' });
    const from = (o: Parameters<typeof loadConfig>[0]) => {
      const r = loadConfig({ readFile: read, ...o });
      if (!r.ok) throw new Error(r.reason);
      return [r.config.exchange, r.exchangeFrom];
    };
    expect(from({ env: {} })).toEqual(['sim', undefined]);
    expect(from({ configPath: '/none.yaml', env: {} })).toEqual(['sim', undefined]);
    expect(from({ configPath: '/x.yaml', env: {} })).toEqual(['bybit', '/x.yaml']);
    expect(from({ configPath: '/x.yaml', env: { LEAKPROOF_EXCHANGE: 'sim' } })).toEqual(['sim', 'LEAKPROOF_EXCHANGE']);
  });

  it('refuses only a defaulted exchange, and only under systemd (INVOCATION_ID)', () => {
    const implicit = { config: { exchange: 'sim' }, exchangeFrom: undefined };
    expect(explicitExchangeUnderSystemd(implicit, {})).toEqual({ ok: true });
    expect(explicitExchangeUnderSystemd(implicit, { INVOCATION_ID: '' })).toEqual({ ok: true });
    expect(explicitExchangeUnderSystemd({ ...implicit, exchangeFrom: '/etc/leakproof/leakproof.json' }, { INVOCATION_ID: 'x' })).toEqual({ ok: true });
    const refused = explicitExchangeUnderSystemd(implicit, { INVOCATION_ID: 'x' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/--config PATH.*LEAKPROOF_EXCHANGE=sim.*deploy setup --exchange/);
  });

  it('takes Bybit endpoint overrides (testnet, loopback) and names a bad one', () => {
    const r = loadConfig({ env: { LEAKPROOF_BYBIT_REST_URL: 'https://api-testnet.bybit.com', LEAKPROOF_BYBIT_API_KEY: 'k' } });
    if (!r.ok) throw new Error(r.reason);
    expect(r.config.bybit).toEqual({ restUrl: 'https://api-testnet.bybit.com', wsUrl: '' });
    expect(r.warnings).toEqual([]);
    expect(loadConfig({ env: { LEAKPROOF_BYBIT_WS_URL: 'https://x' } })).toEqual({
      ok: false,
      reason: 'bybit.wsUrl: must be empty or a URL such as wss://stream-testnet.bybit.com/v5/public/linear (from LEAKPROOF_BYBIT_WS_URL)',
    });
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

  it('refuses a timeframe Bybit serves no klines for, naming the field and the reason', () => {
    const read = files({ '/tf.yaml': "timeframes: ['1m', '0m']\n", '/ohlcv.yaml': 'refresh:\n  ohlcvSeconds:\n    90s: 60\n' });
    const list = loadConfig({ configPath: '/tf.yaml', env: {}, readFile: read });
    const key = loadConfig({ configPath: '/ohlcv.yaml', env: {}, readFile: read });
    expect(list.ok === false && list.reason).toMatch(/^timeframes\.1: "0m" is not a kline interval Bybit serves \(1m, 3m, 5m, /);
    expect(key.ok === false && key.reason).toMatch(/^refresh\.ohlcvSeconds.*"90s" is not a kline interval Bybit serves/);
    const ok = loadConfig({ env: { LEAKPROOF_TIMEFRAMES: '1m,2h,1w' } });
    expect(ok.ok).toBe(true);
  });

  it('takes the shard from LEAKPROOF_SHARD_INDEX / _COUNT (default 0 of 1) and names an index past the count', () => {
    const single = loadConfig({ env: {} });
    const second = loadConfig({ configPath: '/s.yaml', readFile: files({ '/s.yaml': 'shard:\n  count: 2\n' }), env: { LEAKPROOF_SHARD_INDEX: '1' } });
    if (!single.ok || !second.ok) throw new Error('expected ok');
    expect(single.config.shard).toEqual({ index: 0, count: 1 });
    expect(second.config.shard).toEqual({ index: 1, count: 2 });
    expect(loadConfig({ env: { LEAKPROOF_SHARD_INDEX: '2', LEAKPROOF_SHARD_COUNT: '2' } })).toEqual({
      ok: false,
      reason: 'shard.index: must be < shard.count (2): shards are numbered 0 to 1 (from LEAKPROOF_SHARD_INDEX)',
    });
    expect(loadConfig({ env: { LEAKPROOF_SHARD_COUNT: '0' } })).toEqual({ ok: false, reason: 'shard.count: must be ≥ 1 (from LEAKPROOF_SHARD_COUNT)' });
    expect(loadConfig({ env: { LEAKPROOF_SHARD_INDEX: '-1' } })).toEqual({ ok: false, reason: 'shard.index: must be ≥ 0 (from LEAKPROOF_SHARD_INDEX)' });
  });

  it('takes API keys from the environment only', () => {
    const r = loadConfig({ env: { LEAKPROOF_BYBIT_API_KEY: 'k', LEAKPROOF_BYBIT_API_SECRET: 's' } });
    if (!r.ok) throw new Error(r.reason);
    expect(r.secrets).toEqual({ apiKey: 'k', secret: 's' });
    expect(JSON.stringify(r.config)).not.toContain('"k"');
    expect(r.warnings).toEqual([]);
  });
});

describe('order-book depth', () => {
  it.each([20, 500, 2, 0, 1001])('depth %i is a one-line error naming the field and the depths ccxt and Bybit both accept', (depth) => {
    const r = loadConfig({ env: { LEAKPROOF_LIMITS_ORDERBOOK_DEPTH: String(depth) } });
    expect(r).toEqual({ ok: false, reason: `limits.orderbookDepth: must be one of 1, 50, 200 (the order-book depths both ccxt and Bybit accept for linear perps) (from LEAKPROOF_LIMITS_ORDERBOOK_DEPTH)` });
  });

  it.each([1, 50, 200])('depth %i is accepted', (depth) => {
    const r = loadConfig({ env: { LEAKPROOF_LIMITS_ORDERBOOK_DEPTH: String(depth) } });
    expect(r.ok && r.config.limits.orderbookDepth).toBe(depth);
  });
});
