// Configuration read from the environment in one place (src/config.ts): the defaults, the values
// each variable takes, and one plain line naming the variable for a value it refuses.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFrom } from '../../src/config.ts';

const ROOT = { CANDOR_ROOT: '/srv/candor' };

describe('configFrom', () => {
  it('has the documented defaults', () => {
    const config = configFrom(ROOT);
    expect(config).toMatchObject({
      databasePath: path.resolve('/srv/candor/data/candor.db'),
      outDir: path.resolve('/srv/candor/dist'),
      host: 'localhost',
      port: 4321,
      cacheTickMs: 5000,
      production: false,
      seedDemoWhenEmpty: true,
      trustProxy: false,
      proxyTrust: null,
      publicUrl: null,
      logLevel: 'info',
      metrics: { onSitePort: false, port: null },
      litestream: false,
      purge: null,
      smtpUrl: null,
      mailFrom: 'Candor <status@localhost>',
      webhookAllowPrivate: false,
      deliveryNice: 10,
      deliveryIdle: true,
      passwordHashCost: 'standard',
    });
    expect(config.connections).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, maxPerAddress: 256, maxTotal: 8000 });
  });

  it('reads each variable, blank meaning unset', () => {
    const config = configFrom({
      ...ROOT,
      CANDOR_DB: 'db/x.db',
      CANDOR_OUT_DIR: '/tmp/build',
      HOST: ' 0.0.0.0 ',
      PORT: '0',
      CANDOR_CACHE_TICK_MS: '0',
      CANDOR_TRUST_PROXY: '10.0.0.0/8, loopback',
      CANDOR_PUBLIC_URL: 'https://status.example.com/',
      CANDOR_LOG_LEVEL: 'WARN',
      CANDOR_METRICS: 'yes',
      CANDOR_METRICS_PORT: '9464',
      CANDOR_PURGE_URL: 'https://api.example.com/purge',
      CANDOR_PURGE_AUTHORIZATION: 'Bearer t',
      CANDOR_SMTP_URL: 'smtps://u:p@mail.example.com:465',
      CANDOR_MAIL_FROM: '',
      CANDOR_PASSWORD_HASH_COST: 'test',
      CANDOR_MAX_CONNECTIONS: '100',
      CANDOR_DELIVERY_NICE: '0',
      CANDOR_DELIVERY_IDLE: 'false',
    });
    expect(config).toMatchObject({
      databasePath: path.resolve('/srv/candor/db/x.db'),
      outDir: path.resolve('/tmp/build'),
      host: '0.0.0.0',
      port: 0,
      cacheTickMs: 0,
      proxyTrust: { ranges: ['10.0.0.0/8', 'loopback'] },
      trustProxy: true,
      publicUrl: 'https://status.example.com',
      logLevel: 'warn',
      metrics: { onSitePort: true, port: 9464 },
      purge: { url: 'https://api.example.com/purge', authorization: 'Bearer t' },
      smtpUrl: 'smtps://u:p@mail.example.com:465',
      mailFrom: 'Candor <status@localhost>',
      passwordHashCost: 'test',
      deliveryNice: 0,
      deliveryIdle: false,
    });
    // Behind a trusted proxy its one address carries everyone's connections: no per-address cap.
    expect(config.connections).toMatchObject({ maxPerAddress: null, maxTotal: 100 });
  });

  it('hashes at the standard cost and never loads the demo in production', () => {
    expect(configFrom({ ...ROOT, NODE_ENV: 'production', CANDOR_PASSWORD_HASH_COST: 'test' })).toMatchObject({ production: true, seedDemoWhenEmpty: false, passwordHashCost: 'standard' });
    expect(() => configFrom({ ...ROOT, NODE_ENV: 'production', CANDOR_DEMO: 'true' })).toThrow('CANDOR_DEMO=true is refused with NODE_ENV=production');
  });

  it.each([
    ['PORT', '70000', 'PORT must be a port number from 0 to 65535, got "70000"'],
    ['PORT', 'http', 'PORT must be a port number from 0 to 65535, got "http"'],
    ['CANDOR_METRICS_PORT', '0', 'CANDOR_METRICS_PORT must be a port number from 1 to 65535, got "0"'],
    ['CANDOR_CACHE_TICK_MS', '-1', 'CANDOR_CACHE_TICK_MS must be a number of milliseconds, got "-1"'],
    ['CANDOR_DEMO', 'maybe', 'CANDOR_DEMO must be true or false, got "maybe"'],
    ['CANDOR_TRUST_PROXY', '40', 'CANDOR_TRUST_PROXY must be true, false, a number of proxies (1-32) or a list of proxy addresses/ranges, got "40"'],
    ['CANDOR_PUBLIC_URL', 'https://status.example.com/?x=1', 'CANDOR_PUBLIC_URL must be an http(s) address without query, fragment or credentials, got "https://status.example.com/?x=1"'],
    ['CANDOR_PUBLIC_URL', 'status.example.com', 'CANDOR_PUBLIC_URL must be an absolute http(s) address such as https://status.example.com, got "status.example.com"'],
    ['CANDOR_LOG_LEVEL', 'loud', 'CANDOR_LOG_LEVEL must be one of fatal, error, warn, info, debug, silent, got "loud"'],
    ['CANDOR_PURGE_URL', 'ftp://x', 'CANDOR_PURGE_URL must be an http(s) address, got "ftp://x"'],
    ['CANDOR_SMTP_URL', 'http://mail', 'CANDOR_SMTP_URL must start with smtp:// or smtps://'],
    ['CANDOR_PASSWORD_HASH_COST', 'cheap', 'CANDOR_PASSWORD_HASH_COST must be standard or test, got "cheap"'],
    ['CANDOR_DELIVERY_NICE', '20', 'CANDOR_DELIVERY_NICE must be a whole number from 0 to 19, got "20"'],
    ['CANDOR_DELIVERY_IDLE', 'idle', 'CANDOR_DELIVERY_IDLE must be true or false, got "idle"'],
    ['CANDOR_REQUEST_TIMEOUT_S', '0', 'CANDOR_REQUEST_TIMEOUT_S must be a whole number from 1 to 3600, got "0"'],
  ])('%s=%s is refused in one line naming it', (name, value, message) => {
    expect(() => configFrom({ ...ROOT, [name]: value })).toThrow(new Error(message));
  });
});
