/**
 * The slack module's face: ingress (events, slash commands, their signatures) and the event
 * processor, outgoing delivery through the Web API, the dev outbox and the admin API over dead
 * letters. Everything else in this folder is private to the module.
 */

// Queues and tables.
export { SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE } from './slack.types';
export { slackEntities } from './slack.entities';

// Ingress: the events and slash-command routes, request signatures and the development signing
// secret, the event processor and the handler it answers with.
export { createSlackEventsHandler, SLACK_EVENTS_PATH, type WorkspaceGoneSink } from './slack.events.routes';
export { WorkspaceGoneError } from './slack.errors';
export { createSlackCommandsRouter } from './slack.commands.routes';
export { signSlackRequest } from './slack.signature';
export { resolveSigningSecret, DEV_SIGNING_SECRET_FILE } from './slack.dev-secret';
export { createSlackEventProcessor, type SlackEventProcessor } from './slack.event-processor';
export type { MessageHandler } from './slack.types';

// Delivery: the sender and the Web API client (with the bot token it asks for), dead letters,
// usage, the rate limiter, and members' time zones read from the same Web API.
export type { BotTokenProvider, OutgoingSlackMessage, SlackDelivery } from './slack.types';
export {
  createSlackDelivery,
  DEFAULT_DELIVERY_CONCURRENCY,
  createSlackSender,
  type SlackSender,
  type DeliveryFailureSink,
  type DeliverySuccessSink,
} from './slack.delivery';
export { createSlackWebClient } from './slack.web-client';
export { createDeadLetters, type DeadLetter, type DeadLetters } from './slack.dead-letters';
export { retryDeadLetter } from './slack.dead-letter-retry';
export { createSlackUsage, type SlackUsage } from './slack.usage';
export { createSlackRateLimiter } from './slack.rate-limiter';
export { createSlackUserTimezone, type SlackUserTimezone } from './slack.users-info';

// Dev outbox: the bot's replies kept in place of Slack, and the route that reads them back.
export { createDevOutbox, type DevOutbox } from './slack.outbox';
export { createDevOutboxRouter } from './slack.outbox.routes';

// Admin API: the deliveries that ended as dead letters, listed for operators.
export { createSlackAdminRouter } from './slack.admin.routes';
export { slackAdminApiRoutes } from './slack.admin.openapi';
