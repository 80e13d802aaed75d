/**
 * The slack module's face: ingress (events, slash commands), the event processor, outgoing
 * delivery through the Web API, the dev outbox and the development signing secret.
 * Everything else in this folder is private to the module.
 */
export type { IncomingSlackMessage, MessageHandler, BotTokenProvider, OutgoingSlackMessage, SlackDelivery } from './slack.types';
export { SLACK_EVENTS_QUEUE, SLACK_DELIVERIES_QUEUE } from './slack.types';
export { BadSignatureError, StaleRequestError, SlackApiError } from './slack.errors';
export { createSignatureVerifier, signSlackRequest, SLACK_MAX_SKEW_SECONDS, type SignatureVerifier } from './slack.signature';
export { decodeEntities, stripMentions } from './slack.mention';
export { createSlackEventsHandler, createSlackEventsRouter, SLACK_EVENTS_PATH, type SlackEventsRouterOptions } from './slack.events.routes';
export { createSlackCommandsRouter, WORKING_ON_IT, type SlackCommandsRouterOptions } from './slack.commands.routes';
export { createSlackEventProcessor, HANDLER_FAILED_REPLY, type SlackEventProcessor, type SlackEventProcessorOptions } from './slack.event-processor';
export {
  createSlackDelivery,
  DEFAULT_DELIVERY_CONCURRENCY,
  createSlackSender,
  type SlackSender,
  type SlackSenderOptions,
  earlierTryMayHavePosted,
  NOT_POSTED,
  type SlackDeliveryOptions,
  type DeliveryLimiter,
  type DeliveryFailure,
  type DeliveryFailureSink,
  type DeliverySuccessSink,
} from './slack.delivery';
export { createDeadLetters, DEAD_LETTERS_MAX_LIMIT, type DeadLetter, type DeadLetters, type DeadLettersOptions } from './slack.dead-letters';
export { createSlackRateLimiter, type SlackRateLimiterOptions } from './slack.rate-limiter';
export { createSlackAdminRouter, type SlackAdminRouterOptions } from './slack.admin.routes';
export { createSlackUserTimezone, type SlackUserTimezone, type SlackUserTimezoneOptions, type SlackMemberRef } from './slack.users-info';
export {
  createSlackWebClient,
  DELIVERY_METADATA_TYPE,
  slackDidNotPost,
  type FindPostedRequest,
  type PostedMessage,
  type PostMessageRequest,
  type SlackWebClient,
  type SlackWebClientOptions,
} from './slack.web-client';
export { createDevOutbox, type DevOutbox, type DevOutboxMessage, type DevOutboxQuery } from './slack.outbox';
export { createDevOutboxRouter } from './slack.outbox.routes';
export { resolveSigningSecret, DEV_SIGNING_SECRET_FILE, type ResolvedSigningSecret, type ResolveSigningSecretOptions } from './slack.dev-secret';
export { slackEntities } from './slack.entities';
