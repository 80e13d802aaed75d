import { z } from 'zod';
import { hasHashTag, isRedisClusterUrl, parseRedisClusterUrl } from './platform/redis-url';
import { decodeKey } from './platform/crypto/keyring';

/**
 * Every environment variable Jeeves reads, parsed and validated once.
 * Nothing else in the code base reads process.env.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a ${protocols.join(' or ')} URL`);

const optionalUrl = (protocols: string[]) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), url(protocols).optional());

const urlWithDefault = (protocols: string[], fallback: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), url(protocols).default(fallback));

const httpUrl = ['http:', 'https:'];

export const EXTRACTABLE_MODULES = ['users', 'weather', 'tokens'] as const;
export type ExtractableModule = (typeof EXTRACTABLE_MODULES)[number];

/** The queues a process may consume (WORKER_QUEUES); test/unit/config.test.ts checks them against the modules'. */
export const WORKER_QUEUES = ['slack-events', 'slack-deliveries', 'reminders', 'alerts'] as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  /** One node (`redis://`, `rediss://`) or a Redis Cluster (`redis+cluster://host:port,host:port`). */
  REDIS_URL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().superRefine(validRedisUrl).optional(),
  ),
  /**
   * BullMQ key prefix: processes with the same prefix share queues; another prefix is another
   * deployment. A `{hash tag}` in it keeps every key of it in one slot, as a Redis Cluster needs.
   */
  QUEUE_PREFIX: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64)
    .regex(/^[\w.:-]*(\{[\w.:-]+\}[\w.:-]*)?$/, 'letters, digits and . _ : - only, and at most one {hash tag}')
    .optional(),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().regex(/^xox[bp]-/, 'must be a Slack bot token (xoxb-...)').optional(),
  ),
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_API_URL: url(httpUrl).default('https://slack.com/api/'),
  /** Per-channel pacing of outgoing messages (about one a second, as Slack allows); off only for benchmarks. */
  SLACK_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  /** The queues this process consumes, comma-separated (default all): a pool of workers per queue; `none` for a web process that only serves HTTP. */
  WORKER_QUEUES: z.preprocess(
    (v) => (typeof v !== 'string' || v.trim() === '' ? undefined : v.trim() === 'none' ? [] : v.split(',').map((name) => name.trim())),
    z.array(z.enum(WORKER_QUEUES)).default([...WORKER_QUEUES]),
  ),
  /** On SIGTERM, how long in-flight jobs may run on before they are left to another worker. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * How long a worker's hold on a job lasts unless renewed (every half of it): a job whose worker
   * died is taken up again within about twice this. Longer than a Slack post may take (5 s), so
   * the next try of a delivery finds a dead worker's post in the channel's history.
   */
  QUEUE_LOCK_MS: z.coerce.number().int().min(6000).max(600_000).default(10_000),
  /** On SIGTERM, how long a web process keeps serving with /readyz failing, so load balancers stop sending before it stops accepting. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  SLACK_OAUTH_URL: url(httpUrl).default('https://slack.com/oauth/v2/authorize'),
  /** Sign in with Slack's authorize page; Slack's signing keys are its sibling `keys` (https://slack.com/openid/connect/keys). */
  SLACK_OPENID_URL: url(httpUrl).default('https://slack.com/openid/connect/authorize'),
  /** Where people and Slack reach Jeeves; every redirect URI is built from it (default http://localhost:$PORT, see publicUrl()). */
  PUBLIC_URL: optionalUrl(httpUrl),
  /** Keys sealing tokens at rest, comma-separated: the first seals, every one still opens (rotation). */
  TOKEN_ENCRYPTION_KEY: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((key) => key.trim()) : undefined),
    z.array(z.string().refine((key) => decodeKey(key) !== undefined, 'each key must be 32 bytes of base64 (openssl rand -base64 32)')).optional(),
  ),
  WEATHER_API_URL: url(httpUrl).default('https://api.open-meteo.com/v1/forecast'),
  GEOCODING_API_URL: url(httpUrl).default('https://geocoding-api.open-meteo.com/v1/search'),
  UNLEASH_URL: optionalUrl(httpUrl),
  UNLEASH_API_TOKEN: optionalString,
  UNLEASH_ADMIN_TOKEN: optionalString,
  FLAGS_FILE: z.string().trim().min(1).default('flags.json'),
  FLAGS_REFRESH_MS: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  SESSION_SECRET: optionalString,
  /**
   * The secret the monolith presents for service tokens. Every process sharing one database
   * must use the same one; unset in development, one is generated under JEEVES_DATA_DIR.
   */
  SERVICE_CLIENT_SECRET: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  /**
   * The secret of the admin client (`jeeves-admin`, audience `admin`), for operators' scripts
   * on /api/admin; unset, no such client is registered and only sessions open admin routes.
   */
  ADMIN_CLIENT_SECRET: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  // Defaults are where `npm run service -- NAME` listens, so a local flag flip works with nothing configured.
  USERS_SERVICE_URL: urlWithDefault(httpUrl, 'http://127.0.0.1:3001'),
  WEATHER_SERVICE_URL: urlWithDefault(httpUrl, 'http://127.0.0.1:3002'),
  TOKENS_SERVICE_URL: urlWithDefault(httpUrl, 'http://127.0.0.1:3003'),
  /** Where extracted services fetch the keys that verify service tokens; unset: see verificationKeyUrls(). */
  TOKENS_JWKS_URL: optionalUrl(httpUrl),
  /** Where the monolith answers, for extracted services and `npm run slack` (default http://127.0.0.1:$PORT). */
  JEEVES_URL: optionalUrl(httpUrl),
  JEEVES_DATA_DIR: z.string().trim().min(1).default('.jeeves'),
  /** An OpenTelemetry collector's OTLP/HTTP base URL: spans go to its /v1/traces. Unset, nothing is traced. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(httpUrl),
  /** The traces' service.name; default after the process kind (jeeves, jeeves-worker, jeeves-weather...). */
  OTEL_SERVICE_NAME: optionalString,
}).transform((config) => ({ ...config, PUBLIC_URL: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '') }));

function validRedisUrl(value: string, ctx: z.RefinementCtx): void {
  if (isRedisClusterUrl(value)) {
    try {
      parseRedisClusterUrl(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
    return;
  }
  if (!url(['redis:', 'rediss:']).safeParse(value).success) {
    ctx.addIssue({ code: 'custom', message: 'must be a redis: or rediss: URL, or redis+cluster://host:port,host:port' });
  }
}

/** The queue prefix when QUEUE_PREFIX is unset; on a cluster the same name, hash-tagged. */
const DEFAULT_QUEUE_PREFIX = 'jeeves:bull';
const DEFAULT_CLUSTER_QUEUE_PREFIX = `{${DEFAULT_QUEUE_PREFIX}}`;

export type Config = Omit<z.infer<typeof schema>, 'QUEUE_PREFIX'> & { QUEUE_PREFIX: string };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, issue.message);
  }
  const config = { ...parsed.data, QUEUE_PREFIX: queuePrefix(parsed.data) };
  if (config.UNLEASH_URL && !config.UNLEASH_API_TOKEN) {
    throw new ConfigError('UNLEASH_API_TOKEN', 'is required when UNLEASH_URL is set');
  }
  if (config.ADMIN_CLIENT_SECRET !== undefined && config.ADMIN_CLIENT_SECRET === config.SERVICE_CLIENT_SECRET) {
    throw new ConfigError('ADMIN_CLIENT_SECRET', 'must differ from SERVICE_CLIENT_SECRET (the admin audience has a client of its own)');
  }
  if (config.NODE_ENV === 'production') {
    for (const name of ['DATABASE_URL', 'SLACK_SIGNING_SECRET', 'SESSION_SECRET', 'SERVICE_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY'] as const) {
      if (!config[name]) throw new ConfigError(name, 'is required when NODE_ENV=production');
    }
    // The default flags.json is one machine's file: processes elsewhere would not see a flip.
    if (!config.UNLEASH_URL && !env.FLAGS_FILE?.trim()) {
      throw new ConfigError(
        'FLAGS_FILE',
        'NODE_ENV=production needs UNLEASH_URL (and UNLEASH_API_TOKEN), or FLAGS_FILE set explicitly to a file every process reads alike (a ConfigMap mounted read-only); the default flags.json is local to one machine',
      );
    }
  }
  return config;
}

function queuePrefix({ REDIS_URL, QUEUE_PREFIX }: z.infer<typeof schema>): string {
  const cluster = REDIS_URL !== undefined && isRedisClusterUrl(REDIS_URL);
  if (!cluster) return QUEUE_PREFIX ?? DEFAULT_QUEUE_PREFIX;
  if (QUEUE_PREFIX === undefined) return DEFAULT_CLUSTER_QUEUE_PREFIX;
  if (!hasHashTag(QUEUE_PREFIX)) {
    throw new ConfigError('QUEUE_PREFIX', `must hold a {hash tag} on a Redis Cluster (REDIS_URL is redis+cluster://), e.g. {${QUEUE_PREFIX}}`);
  }
  return QUEUE_PREFIX;
}

/** The URL of an extracted service, when one is configured. */
export function serviceUrl(config: Config, module: ExtractableModule): string | undefined {
  const key = `${module.toUpperCase()}_SERVICE_URL` as 'USERS_SERVICE_URL';
  return config[key];
}

/** PUBLIC_URL without a trailing slash, or http://localhost:$PORT when unset. */
export function publicUrl(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/**
 * Where an extracted service fetches the keys that verify service tokens: TOKENS_JWKS_URL when
 * set; else wherever the tokens module answers, the monolith (JEEVES_URL, whose key set follows
 * tokens-remote) and the tokens service (TOKENS_SERVICE_URL), their keys together.
 */
export function verificationKeyUrls(config: Pick<Config, 'TOKENS_JWKS_URL' | 'JEEVES_URL' | 'PORT' | 'TOKENS_SERVICE_URL'>): string[] {
  if (config.TOKENS_JWKS_URL) return [config.TOKENS_JWKS_URL];
  const jwksOf = (base: string) => `${base.replace(/\/+$/, '')}/.well-known/jwks.json`;
  return [jwksOf(config.JEEVES_URL ?? `http://127.0.0.1:${config.PORT}`), jwksOf(config.TOKENS_SERVICE_URL)];
}
