import { Router, type Request, type Response } from 'express';
import { createApp, type Mount } from '../platform/app';
import { loadConfig, serviceUrl, verificationKeyUrls, type Config, type ExtractableModule } from '../config';
import { databaseCheck, openInfrastructure, type Infrastructure } from '../infrastructure/infrastructure';
import { createDrain } from '../platform/drain';
import type { ReadinessCheck } from '../platform/health';
import { runProcess, STOP_TEARDOWN_MS } from '../platform/lifecycle';
import { createLogger, type Logger } from '../platform/logger';
import type { Metrics } from '../platform/metrics';
import { openApiRouter, type OpenApiDocument } from '../platform/openapi';
import { listen } from '../platform/server';
import { startTracing } from '../platform/tracing';
import { authenticateServiceCall, createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, requireServiceToken, type ServiceTokenVerifier, type VerificationKeys } from '../platform/service-auth';

/**
 * The host every extracted service runs in: its infrastructure, its routes behind a service
 * token, and the unauthenticated /healthz, /readyz, /metrics and /openapi.json. extracted/<name>
 * only says what to serve (a ServiceDefinition); everything else is the same for all of them.
 */

export interface ServiceParts {
  /** Served behind a service token whose audience is the service's name. */
  routes: Mount[];
  /** Served without a service token, before the body parsers (such routers parse their own bodies). */
  publicRoutes?: Mount[];
  /** Checked by /readyz besides the database. */
  readiness?: Record<string, ReadinessCheck>;
  openapi: OpenApiDocument;
  /** Where tokens are verified; default: the key sets of verificationKeyUrls(). The tokens service uses its own keys. */
  verificationKeys?: VerificationKeys;
}

export interface ServiceDefinition {
  name: ExtractableModule;
  /** Modules whose migrations this service applies to its database. */
  ownedModules: string[];
  build(infra: Infrastructure): Promise<ServiceParts>;
}

export interface StartServiceOptions {
  config: Config;
  /** Default: the port of <NAME>_SERVICE_URL; 0 picks a free one (tests). */
  port?: number;
  logger?: Logger;
  metrics?: Metrics;
  /**
   * Reads (bodiless GETs under the guarded routes) ahead of Express's app router; default on.
   * Off only to compare both ways (tests, benchmarks): they must answer alike.
   */
  fastReads?: boolean;
}

export interface RunningService {
  /** Where it answers on this machine, e.g. http://127.0.0.1:3002. */
  url: string;
  port: number;
  logger: Logger;
  close(): Promise<void>;
  /** SIGTERM's way: /readyz fails and it serves on for `drainMs`, then stops accepting and lets requests finish within `graceMs`. */
  stop(options: { drainMs: number; graceMs: number }): Promise<void>;
}

/** The port of the service's own URL, so callers and the service agree on one setting. */
export function servicePort(config: Config, name: ExtractableModule): number {
  const url = new URL(serviceUrl(config, name) ?? '');
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

/** Verifies tokens for the service's routes: one verifier, so the guard and the fast path share its cache. */
function verifierOf(parts: ServiceParts, config: Config, audience: string): ServiceTokenVerifier {
  const keys = parts.verificationKeys ?? { jwksUrls: verificationKeyUrls(config) };
  return createServiceTokenVerifier({ keys, audience, issuer: SERVICE_TOKEN_ISSUER });
}

export async function startService(definition: ServiceDefinition, options: StartServiceOptions): Promise<RunningService> {
  const { name } = definition;
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: `jeeves-${name}` });
  const infra = await openInfrastructure({
    config,
    logger,
    modules: definition.ownedModules,
    joinEmbeddedDatabase: true,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  let parts: ServiceParts;
  try {
    parts = await definition.build(infra);
  } catch (err) {
    await infra.close();
    throw err;
  }
  const verifier = verifierOf(parts, config, name);
  const drain = createDrain();
  if (!parts.verificationKeys) logger.info({ jwksUrls: verificationKeyUrls(config) }, 'service tokens are verified with the keys found at these URLs');
  // A router that only checks the token: mounted before the body parsers, so a stranger's body is never parsed.
  const guard = Router().use(requireServiceToken(verifier));
  const app = createApp({
    logger,
    metrics: infra.metrics,
    // A service that cannot fetch its verification keys refuses every call: not ready.
    readiness: { database: databaseCheck(infra.dataSource), keys: () => verifier.keysReady(), ...parts.readiness },
    drain,
    rawBodyRoutes: [
      { path: '/', router: openApiRouter(parts.openapi) },
      ...(parts.publicRoutes ?? []),
      ...parts.routes.map((mount) => ({ path: mount.path, router: guard })),
    ],
    routes: parts.routes,
    ...(options.fastReads === false
      ? {}
      : {
          fastReads: {
            publicPaths: (parts.publicRoutes ?? []).map((mount) => mount.path),
            authenticate: (req: Request, res: Response) => authenticateServiceCall(verifier, req, res),
          },
        }),
  });
  const server = await listen(app, options.port ?? servicePort(config, name)).catch(async (err: unknown) => {
    await infra.close();
    throw err;
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    logger,
    close: async () => {
      await server.close();
      await infra.close();
    },
    stop: async ({ drainMs, graceMs }) => {
      await drain.run(server, drainMs);
      await server.close(graceMs);
      await infra.close(graceMs);
    },
  };
}

/** `npm run service -- NAME`: the service as a process, configured from the environment. */
export function runService(definition: ServiceDefinition): Promise<void> {
  return runProcess(`jeeves-${definition.name}`, async () => {
    const config = loadConfig();
    const tracing = startTracing(config, `jeeves-${definition.name}`);
    const service = await startService(definition, { config });
    service.logger.info({ port: service.port, service: definition.name }, `jeeves-${definition.name} is listening on ${service.url}`);
    return {
      logger: service.logger,
      running: {
        stop: async () => {
          await service.stop({ drainMs: config.SHUTDOWN_DRAIN_MS, graceMs: config.SHUTDOWN_GRACE_MS });
          await tracing.shutdown();
        },
      },
      stopWithinMs: config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_GRACE_MS + STOP_TEARDOWN_MS,
    };
  });
}
