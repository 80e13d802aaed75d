import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { createTokensHttpClient, createTokensService, type TokenIssuer, type TokensService } from '../modules/tokens';
import { createUsersHttpClient, createUsersService, usersRemotePolicy, type UsersService } from '../modules/users';
import { createWeatherHttpClient, createWeatherService, weatherRemotePolicy, type WeatherService } from '../modules/weather';
import { moduleLogger } from '../platform/logger';
import { createModuleSwitch, createRoutingRegistry, remoteHeaders, type ModulePolicy, type RoutingRegistry } from '../platform/remote';
import { ADMIN_AUDIENCE, createInProcessTokenSource, createServiceTokenProvider, SERVICE_TOKEN_ISSUER } from '../platform/service-auth';

/**
 * Each extractable module as the rest of the monolith sees it: one object whose every call
 * the switch routes in-process, to the extracted service, or both (shadow), by flag.
 */
export interface RoutedModules {
  users: UsersService;
  weather: WeatherService;
  tokens: TokenIssuer;
  /** The in-process tokens service (client registration, key rotation). */
  localTokens: TokensService;
  routing: RoutingRegistry;
}

/** The client id the monolith presents when it asks for service tokens. */
export const MONOLITH_CLIENT_ID = 'jeeves-monolith';

/** The client an operator's script presents for tokens of audience `admin` (ADMIN_CLIENT_SECRET). */
export const ADMIN_CLIENT_ID = 'jeeves-admin';

/** Issuing a token twice does no harm, so it is retried; it is never shadowed (it writes nothing, but mints). */
const tokensPolicy: ModulePolicy<TokenIssuer> = {
  issueToken: { kind: 'write', idempotent: true, onRemoteFailure: 'fallback-local' },
  jwks: { kind: 'read', idempotent: true, onRemoteFailure: 'fallback-local' },
};

/** The monolith's client secret when none is configured: generated once under the data directory. */
function monolithClientSecret(dataDir: string): string {
  const path = join(dataDir, 'service-client-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/** Remote clients give up before the breaker does, so no abandoned request keeps running. */
const REMOTE_TIMEOUT_MS = 2000;

export async function routeModules(infra: Infrastructure): Promise<RoutedModules> {
  const { config, logger, metrics, dataSource, cache, flags } = infra;
  const routing = createRoutingRegistry();

  const localTokens = createTokensService({ dataSource, logger, issuer: SERVICE_TOKEN_ISSUER, keysAtRest: infra.keyring });
  await localTokens.ensureActiveKey();
  const tokens = createModuleSwitch<TokenIssuer>({
    module: 'tokens',
    local: localTokens,
    remote: createTokensHttpClient({ baseUrl: config.TOKENS_SERVICE_URL, timeoutMs: REMOTE_TIMEOUT_MS }),
    flags,
    policy: tokensPolicy,
    metrics,
    logger: moduleLogger(logger, 'tokens'),
    registry: routing,
  });

  const clientSecret = config.SERVICE_CLIENT_SECRET ?? monolithClientSecret(config.JEEVES_DATA_DIR);
  // A configured secret is authoritative; a generated one never overwrites another process's.
  // ensureClient also sets an older row's audiences to exactly these: 'admin' is taken away from
  // the monolith's client, which every process holds, and given to a client of its own.
  const client = await localTokens.ensureClient(MONOLITH_CLIENT_ID, ['users', 'weather'], clientSecret, {
    overwrite: config.SERVICE_CLIENT_SECRET !== undefined,
  });
  if (client === 'conflict') {
    logger.error(
      { clientId: MONOLITH_CLIENT_ID },
      'another process registered the service client with a different secret: remote calls from this one will be refused and fall back; set the same SERVICE_CLIENT_SECRET in every process',
    );
  }
  if (config.ADMIN_CLIENT_SECRET) await localTokens.ensureClient(ADMIN_CLIENT_ID, [ADMIN_AUDIENCE], config.ADMIN_CLIENT_SECRET);
  const source = createInProcessTokenSource({ issuer: tokens, clientId: MONOLITH_CLIENT_ID, clientSecret });
  const providerFor = (audience: string) => createServiceTokenProvider({ source, audience });

  const usersTokens = providerFor('users');
  const users = createModuleSwitch<UsersService>({
    module: 'users',
    local: createUsersService({ dataSource, logger: moduleLogger(logger, 'users') }),
    remote: createUsersHttpClient({
      baseUrl: config.USERS_SERVICE_URL,
      headers: remoteHeaders({ tokenProvider: usersTokens }),
      timeoutMs: REMOTE_TIMEOUT_MS,
    }),
    flags,
    policy: usersRemotePolicy,
    metrics,
    logger: moduleLogger(logger, 'users'),
    tokenProvider: usersTokens,
    registry: routing,
  });

  const weatherTokens = providerFor('weather');
  const weather = createModuleSwitch<WeatherService>({
    module: 'weather',
    local: createWeatherService({
      provider: { forecastUrl: config.WEATHER_API_URL, geocodingUrl: config.GEOCODING_API_URL },
      cache,
      // The weather service names its own child logger.
      logger,
      metrics,
    }),
    remote: createWeatherHttpClient({
      baseUrl: config.WEATHER_SERVICE_URL,
      headers: remoteHeaders({ tokenProvider: weatherTokens }),
      timeoutMs: REMOTE_TIMEOUT_MS,
    }),
    flags,
    policy: weatherRemotePolicy,
    metrics,
    logger: moduleLogger(logger, 'weather'),
    tokenProvider: weatherTokens,
    registry: routing,
  });

  return { users, weather, tokens, localTokens, routing };
}
