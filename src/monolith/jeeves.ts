import type { Express, RequestHandler } from 'express';
import { createApp, type Endpoint, type Mount } from '../platform/app';
import { databaseCheck, type Infrastructure } from '../infrastructure/infrastructure';
import { ALERTS_QUEUE, alertCommands, createAlertsService, rescheduleAlertsOnLocationChange, type AlertsService } from '../modules/alerts';
import { createBot, type Bot } from '../modules/bot';
import { createRemindersService, createTimezoneLookup, reminderCommands, REMINDERS_QUEUE, type RemindersService } from '../modules/reminders';
import { type Notifier } from '../kernel';
import {
  createDeadLetters,
  createDevOutbox,
  createDevOutboxRouter,
  createSlackAdminRouter,
  createSlackCommandsRouter,
  createSlackDelivery,
  createSlackEventProcessor,
  createSlackEventsHandler,
  createSlackRateLimiter,
  createSlackUserTimezone,
  createSlackWebClient,
  resolveSigningSecret,
  SLACK_DELIVERIES_QUEUE,
  SLACK_EVENTS_PATH,
  SLACK_EVENTS_QUEUE,
  type MessageHandler,
  type SlackDelivery,
} from '../modules/slack';
import { tokensRouter, type TokenIssuer } from '../modules/tokens';
import { usersRouter, type UsersService } from '../modules/users';
import { WEATHER_API_PATH, weatherRouter, type WeatherService } from '../modules/weather';
import { moduleLogger } from '../platform/logger';
import { registerQueueMetrics } from '../platform/queue';
import type { RoutingRegistry } from '../platform/remote';
import { ADMIN_AUDIENCE, requireServiceToken, SERVICE_TOKEN_ISSUER } from '../platform/service-auth';
import { routeModules } from './module-switches';

/** The monolith's modules, wired to one another and to the infrastructure. */
export interface Jeeves {
  users: UsersService;
  weather: WeatherService;
  bot: Bot;
  delivery: SlackDelivery;
  reminders: RemindersService;
  alerts: AlertsService;
  /** Where each extractable module answers right now. */
  routing: RoutingRegistry;
  /** The web app (ingress, API, health). */
  app: Express;
  /** Starts consuming the queues in this process, and re-enqueues what a lost queue forgot. */
  startWorkers(): Promise<void>;
}

export interface WireOptions {
  /** Slack's per-channel rate limiting of outgoing messages (default on; off for the delivery benchmark). */
  slackRateLimit?: boolean;
}

/**
 * Admin routes take a service token for audience 'admin', verified against the keys of
 * wherever the tokens module answers now (in-process or its service, by `tokens-remote`).
 */
function adminGuard(tokens: TokenIssuer): RequestHandler {
  return requireServiceToken({ keys: { jwks: () => tokens.jwks() }, audience: ADMIN_AUDIENCE, issuer: SERVICE_TOKEN_ISSUER });
}

export async function wireJeeves(infra: Infrastructure, options: WireOptions = {}): Promise<Jeeves> {
  const { config, logger, metrics, dataSource, queue } = infra;
  const { users, weather, tokens, routing } = await routeModules(infra);
  const slackLogger = moduleLogger(logger, 'slack');
  const signing = await resolveSigningSecret({ configured: config.SLACK_SIGNING_SECRET, dataDir: config.JEEVES_DATA_DIR, logger: slackLogger });
  const outbox = createDevOutbox(dataSource);
  const botToken = config.SLACK_BOT_TOKEN;
  const deadLetters = createDeadLetters({ dataSource, registry: metrics.registry });
  // Delivery tells reminders how each of their messages ended; bound late because reminders send through delivery.
  const senders: { reminders?: RemindersService } = {};
  const delivery = createSlackDelivery({
    queue,
    client: createSlackWebClient({ apiUrl: config.SLACK_API_URL }),
    outbox,
    tokens: async () => botToken,
    logger: slackLogger,
    // About one message per second per channel, shared across workers through Redis when there is one.
    limiter: createSlackRateLimiter({ enabled: options.slackRateLimit ?? config.SLACK_RATE_LIMIT === 'on', ...(infra.redis ? { redis: infra.redis } : {}) }),
    // Both are told even when one fails; delivery logs the first failure.
    onGiveUp: async (failure) => {
      const told = await Promise.allSettled([deadLetters.sink(failure), senders.reminders?.settle(failure.message.key, 'given-up')]);
      const refused = told.find((result) => result.status === 'rejected');
      if (refused) throw refused.reason;
    },
    onPosted: async (message) => void (await senders.reminders?.settle(message.key, 'posted')),
  });
  const notifier: Notifier = (message) => delivery.send(message);
  // Reminders and alerts use the member's setting or location zone, else what Slack knows (users:read).
  const slackTimezone = createSlackUserTimezone({ apiUrl: config.SLACK_API_URL, tokens: async () => botToken });
  const timezones = createTimezoneLookup({ users, slackTimezone, logger: moduleLogger(logger, 'reminders') });
  const reminders = createRemindersService({ dataSource, queue, notifier, timezones, logger: moduleLogger(logger, 'reminders') });
  senders.reminders = reminders;
  // The alert's text is what `weather` would answer; bound late because the bot is built after alerts.
  const late: { bot?: Bot } = {};
  const alerts = createAlertsService({
    dataSource,
    queue,
    notifier,
    timezones,
    weather: (ref) => late.bot!.handle({ ...ref, channelId: '', text: 'weather' }),
    logger: moduleLogger(logger, 'alerts'),
  });
  const theBot = createBot({
    // Saving a new location moves the member's daily alert to the new time zone.
    users: rescheduleAlertsOnLocationChange(users, alerts, moduleLogger(logger, 'alerts')),
    weather,
    logger,
    commands: [...reminderCommands(reminders), ...alertCommands(alerts)],
  });
  late.bot = theBot;

  const handler: MessageHandler = (message) =>
    theBot.handle({
      teamId: message.teamId,
      userId: message.userId,
      channelId: message.channelId,
      text: message.text,
      ...(message.threadTs ? { threadTs: message.threadTs } : {}),
    });
  const processor = createSlackEventProcessor({ queue, handler, delivery, logger: slackLogger });

  // Slack's webhooks: events on the fast path ahead of the router, commands mounted before
  // helmet and the health router (acks, read by no browser).
  const endpoints: Endpoint[] = [
    { method: 'POST', path: SLACK_EVENTS_PATH, handler: createSlackEventsHandler({ signingSecret: signing.secret, queue, logger: slackLogger }) },
  ];
  const webhookRoutes: Mount[] = [
    { path: '/slack', router: createSlackCommandsRouter({ signingSecret: signing.secret, handler, delivery, logger: slackLogger }) },
  ];
  const rawBodyRoutes: Mount[] = [
    // POST /oauth/token and GET /.well-known/jwks.json: the tokens module, in-process or routed to its service.
    { path: '/', router: tokensRouter({ tokens }) },
  ];
  const routes: Mount[] = [
    { path: '/api/users', router: usersRouter({ users }) },
    { path: WEATHER_API_PATH, router: weatherRouter({ weather }) },
  ];
  if (config.NODE_ENV !== 'production') routes.push({ path: '/dev', router: createDevOutboxRouter({ outbox }) });
  // No sign-in yet: in production the dead-letter list needs an admin service token; elsewhere it is open, like /dev.
  const adminAuth = config.NODE_ENV === 'production' ? adminGuard(tokens) : undefined;
  routes.push({ path: '/api/admin', router: createSlackAdminRouter({ deadLetters, auth: adminAuth }) });

  // Queue depth by state, read on each scrape of /metrics.
  registerQueueMetrics(queue, metrics, [SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE, REMINDERS_QUEUE, ALERTS_QUEUE]);

  const app = createApp({
    logger,
    metrics,
    readiness: { database: databaseCheck(dataSource), queue: () => queue.ping(), flags: () => infra.flags.ping() },
    endpoints,
    webhookRoutes,
    rawBodyRoutes,
    routes,
  });

  return {
    users,
    weather,
    bot: theBot,
    delivery,
    reminders,
    alerts,
    routing,
    app,
    startWorkers: async () => {
      const consumes = new Set<string>(config.WORKER_QUEUES);
      if (consumes.has(SLACK_EVENTS_QUEUE)) processor.start();
      if (consumes.has(SLACK_DELIVERIES_QUEUE)) delivery.start();
      if (consumes.has(REMINDERS_QUEUE)) reminders.start();
      if (consumes.has(ALERTS_QUEUE)) alerts.start();
      // Recovery is the business of the processes that consume those queues.
      const [reenqueued, rescheduled] = await Promise.all([
        consumes.has(REMINDERS_QUEUE) ? reminders.recoverPending() : 0,
        consumes.has(ALERTS_QUEUE) ? alerts.recoverSchedules() : 0,
      ]);
      logger.info({ queues: config.WORKER_QUEUES, reenqueued, rescheduled }, 'workers started; pending reminders and alert schedules recovered');
    },
  };
}
