/**
 * The slack module's face: ingress (events, slash commands), the event processor, outgoing
 * delivery through the Web API, the dev outbox and the development signing secret.
 * Everything else in this folder is private to the module.
 */
export type { MessageHandler, BotTokenProvider, OutgoingSlackMessage, SlackDelivery } from './slack.types';
export { SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE } from './slack.types';
export { signSlackRequest } from './slack.signature';
export { createSlackEventsHandler, SLACK_EVENTS_PATH, type WorkspaceGoneSink } from './slack.events.routes';
export { WorkspaceGoneError } from './slack.errors';
export { createSlackCommandsRouter } from './slack.commands.routes';
export { createSlackEventProcessor, type SlackEventProcessor } from './slack.event-processor';
export {
  createSlackDelivery,
  DEFAULT_DELIVERY_CONCURRENCY,
  createSlackSender,
  type SlackSender,
  type DeliveryFailureSink,
  type DeliverySuccessSink,
} from './slack.delivery';
export { createDeadLetters, type DeadLetter, type DeadLetters } from './slack.dead-letters';
export { retryDeadLetter } from './slack.dead-letter-retry';
export { createSlackUsage, type SlackUsage } from './slack.usage';
export { createSlackRateLimiter } from './slack.rate-limiter';
export { createSlackAdminRouter } from './slack.admin.routes';
export { slackAdminApiRoutes } from './slack.admin.openapi';
export { createSlackUserTimezone, type SlackUserTimezone } from './slack.users-info';
export { createSlackWebClient } from './slack.web-client';
export { createDevOutbox, type DevOutbox } from './slack.outbox';
export { createDevOutboxRouter } from './slack.outbox.routes';
export { resolveSigningSecret, DEV_SIGNING_SECRET_FILE } from './slack.dev-secret';
export { slackEntities } from './slack.entities';
