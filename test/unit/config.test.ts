import { ConfigError, loadConfig } from '../../src/config';
import { ALERTS_QUEUE } from '../../src/modules/alerts';
import { REMINDERS_QUEUE } from '../../src/modules/reminders';
import { SLACK_DELIVERIES_QUEUE, SLACK_EVENTS_QUEUE } from '../../src/modules/slack';

/** Every variable validated at start-up; a bad one stops the process with its name. */
function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://jeeves@db:5432/jeeves',
  SLACK_SIGNING_SECRET: 'signing',
  SESSION_SECRET: 'session',
  SERVICE_CLIENT_SECRET: 'x'.repeat(32),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  UNLEASH_URL: 'https://unleash.example.com/api',
  UNLEASH_API_TOKEN: 'default:production.token',
};

describe('configuration', () => {
  it('when nothing is set, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, NODE_ENV: 'development', FLAGS_FILE: 'flags.json', SLACK_RATE_LIMIT: 'on', SHUTDOWN_GRACE_MS: 10_000 });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://db/jeeves' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis+cluster://' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis+cluster://10.0.0.1:7000,10.0.0.2:port' }, 'REDIS_URL'],
    [{ QUEUE_PREFIX: 'jeeves bull' }, 'QUEUE_PREFIX'],
    [{ QUEUE_PREFIX: '{}jeeves' }, 'QUEUE_PREFIX'],
    [{ QUEUE_PREFIX: '{a}{b}' }, 'QUEUE_PREFIX'],
    [{ REDIS_URL: 'redis+cluster://10.0.0.1:7000', QUEUE_PREFIX: 'jeeves:bull' }, 'QUEUE_PREFIX'],
    [{ SLACK_BOT_TOKEN: 'abc' }, 'SLACK_BOT_TOKEN'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WEATHER_API_URL: 'ftp://example.org' }, 'WEATHER_API_URL'],
    [{ SERVICE_CLIENT_SECRET: 'short' }, 'SERVICE_CLIENT_SECRET'],
    [{ SHUTDOWN_GRACE_MS: '-1' }, 'SHUTDOWN_GRACE_MS'],
    [{ SHUTDOWN_GRACE_MS: 'soon' }, 'SHUTDOWN_GRACE_MS'],
    [{ WORKER_QUEUES: 'slack-deliveries,emails' }, 'WORKER_QUEUES'],
    [{ WORKER_QUEUES: 'none,alerts' }, 'WORKER_QUEUES'],
    [{ SHUTDOWN_DRAIN_MS: '-1' }, 'SHUTDOWN_DRAIN_MS'],
    [{ SHUTDOWN_DRAIN_MS: '5s' }, 'SHUTDOWN_DRAIN_MS'],
    [{ QUEUE_LOCK_MS: '5000' }, 'QUEUE_LOCK_MS'],
    [{ QUEUE_LOCK_MS: 'long' }, 'QUEUE_LOCK_MS'],
    [{ UNLEASH_URL: 'http://unleash:4242/api' }, 'UNLEASH_API_TOKEN'],
    [{ PUBLIC_URL: 'jeeves.example.org' }, 'PUBLIC_URL'],
    [{ TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, 'TOKEN_ENCRYPTION_KEY'],
    [{ TOKEN_ENCRYPTION_KEY: `${Buffer.alloc(32).toString('base64')},not-a-key` }, 'TOKEN_ENCRYPTION_KEY'],
  ])('when %j, then the error names %s', (env, variable) => {
    const err = failure(env);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
  });

  it('when WORKER_QUEUES is unset, then a process consumes every queue; when set, the ones it names', () => {
    expect(loadConfig({}).WORKER_QUEUES).toEqual([SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, REMINDERS_QUEUE, ALERTS_QUEUE]);
    expect(loadConfig({ WORKER_QUEUES: ' slack-deliveries , alerts ' }).WORKER_QUEUES).toEqual([SLACK_DELIVERIES_QUEUE, ALERTS_QUEUE]);
  });

  it('when WORKER_QUEUES is none, then the process consumes no queue; when empty, every queue as when unset', () => {
    expect(loadConfig({ WORKER_QUEUES: ' none ' }).WORKER_QUEUES).toEqual([]);
    expect(loadConfig({ WORKER_QUEUES: '' }).WORKER_QUEUES).toHaveLength(4);
  });

  it('when QUEUE_LOCK_MS is unset, then a worker holds a job 10 s between renewals; when set, that long', () => {
    expect(loadConfig({}).QUEUE_LOCK_MS).toBe(10_000);
    expect(loadConfig({ QUEUE_LOCK_MS: '20000' }).QUEUE_LOCK_MS).toBe(20_000);
  });

  it('when SHUTDOWN_DRAIN_MS is unset, then a process stops accepting at once on SIGTERM; when set, after that long', () => {
    expect(loadConfig({}).SHUTDOWN_DRAIN_MS).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '5000' }).SHUTDOWN_DRAIN_MS).toBe(5000);
  });

  it('when QUEUE_PREFIX holds a hash tag, then it is taken as given, on one node or a cluster', () => {
    expect(loadConfig({ QUEUE_PREFIX: '{jeeves}' }).QUEUE_PREFIX).toBe('{jeeves}');
    expect(loadConfig({ REDIS_URL: 'redis+cluster://10.0.0.1:7000,10.0.0.2:7000', QUEUE_PREFIX: 'prod:{jeeves}:bull' }).QUEUE_PREFIX).toBe('prod:{jeeves}:bull');
  });

  it('when REDIS_URL names a cluster and QUEUE_PREFIX is unset, then the default prefix is hash-tagged', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).QUEUE_PREFIX).toBe('jeeves:bull');
    expect(loadConfig({ REDIS_URL: 'rediss+cluster://:secret@redis-0:6379,redis-1:6379' }).QUEUE_PREFIX).toBe('{jeeves:bull}');
  });

  it('when a cluster is given an untagged QUEUE_PREFIX, then the refusal says what to write instead', () => {
    expect(failure({ REDIS_URL: 'redis+cluster://10.0.0.1:7000', QUEUE_PREFIX: 'acme' }).message).toMatch(/hash tag.*e\.g\. \{acme\}/);
  });

  it('when blank values are given, then they count as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '  ', SLACK_BOT_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });

  it('when PUBLIC_URL is unset, then it is localhost on PORT; when set, it is kept without a trailing slash', () => {
    expect(loadConfig({ PORT: '4000' }).PUBLIC_URL).toBe('http://localhost:4000');
    expect(loadConfig({ PUBLIC_URL: 'https://jeeves.example.org/' }).PUBLIC_URL).toBe('https://jeeves.example.org');
  });

  it('when TOKEN_ENCRYPTION_KEY lists keys, then each is kept in order, the current one first', () => {
    const [current, old] = [Buffer.alloc(32, 1).toString('base64'), Buffer.alloc(32, 2).toString('base64')];
    expect(loadConfig({ TOKEN_ENCRYPTION_KEY: `${current}, ${old}` }).TOKEN_ENCRYPTION_KEY).toEqual([current, old]);
  });

  it('when production has everything it needs, then it starts', () => {
    expect(loadConfig(PRODUCTION).NODE_ENV).toBe('production');
  });

  it.each(['DATABASE_URL', 'SLACK_SIGNING_SECRET', 'SESSION_SECRET', 'SERVICE_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY'])(
    'when production lacks %s, then it refuses to start naming it',
    (variable) => {
      const env: Record<string, string> = { ...PRODUCTION };
      delete env[variable];
      expect(failure(env).variable).toBe(variable);
    },
  );

  it('when production has neither Unleash nor an explicit FLAGS_FILE, then it refuses to start naming FLAGS_FILE and both ways out', () => {
    const { UNLEASH_URL: _url, UNLEASH_API_TOKEN: _token, ...withoutUnleash } = PRODUCTION;
    const err = failure(withoutUnleash);
    expect(err.variable).toBe('FLAGS_FILE');
    expect(err.message).toMatch(/UNLEASH_URL.*FLAGS_FILE set explicitly/);
    // Setting it to the default's own name is still a choice someone made.
    expect(loadConfig({ ...withoutUnleash, FLAGS_FILE: '/etc/jeeves/flags.json' }).FLAGS_FILE).toBe('/etc/jeeves/flags.json');
  });

  it('when development has neither, then flags come from the default flags.json', () => {
    expect(loadConfig({}).FLAGS_FILE).toBe('flags.json');
  });

  it('when OTEL_EXPORTER_OTLP_ENDPOINT is set, then it must be an http(s) URL', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_SERVICE_NAME: 'jeeves-web' })).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_SERVICE_NAME: 'jeeves-web',
    });
    expect(failure({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' }).variable).toBe('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });
});
