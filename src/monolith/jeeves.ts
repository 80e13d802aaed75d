import type { Express } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import type { AlertsService } from '../modules/alerts';
import { createAuditLog } from '../modules/audit';
import { createWeatherReport, type Bot } from '../modules/bot';
import type { RemindersService } from '../modules/reminders';
import { createSlackEventProcessor, type SlackDelivery } from '../modules/slack';
import type { UsersService } from '../modules/users';
import type { WeatherService } from '../modules/weather';
import type { Drain } from '../platform/drain';
import type { RoutingRegistry } from '../platform/remote';
import type { Auth } from '../modules/auth';
import type { AuditLog } from '../modules/dashboard';
import type { WorkspacesService } from '../modules/workspaces';
import { wireAlerts } from './wire-alerts';
import { wireAuth } from './wire-auth';
import { wireBot } from './wire-bot';
import { wireMe } from './wire-me';
import { wireReminders } from './wire-reminders';
import { wireSlackDelivery, wireSlackOut, type DeliveryWiringOptions } from './wire-slack';
import { routeModules } from './wire-switched-modules';
import { wireWeb } from './wire-web';
import { wireWorkers } from './wire-workers';
import { wireWorkspaces } from './wire-workspaces';

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
  workspaces: WorkspacesService;
  auth: Auth;
  /** Every admin action, newest first. */
  audit: AuditLog;
  /** Stops the module switches' timers and closes the session store (the infrastructure is closed apart). */
  close(): Promise<void>;
}

export type WireOptions = DeliveryWiringOptions & {
  /** Fails the web app's /readyz while the process drains (SIGTERM). */
  drain?: Pick<Drain, 'draining'>;
};

/**
 * The composition of the monolith, read top to bottom: each module is built from the ports it
 * needs, and no module is built before what it asks for, so nothing is bound late.
 */
export async function wireJeeves(infra: Infrastructure, options: WireOptions = {}): Promise<Jeeves> {
  // users, weather and tokens, each behind the switch that routes its calls in-process or to its service.
  const { users, weather, tokens, routing } = await routeModules(infra);
  // Who may do what, and each workspace's own bot token.
  const auth = await wireAuth(infra);
  const installs = wireWorkspaces(infra, { roles: auth.roles });
  // Slack's sending side first: reminders and alerts hand it their messages.
  const slack = await wireSlackOut(infra, installs.tokens);
  const { reminders, timezones } = wireReminders(infra, { users, slackTimezone: slack.slackTimezone, notifier: slack.sender });
  const weatherReport = createWeatherReport({ users, weather, logger: infra.logger });
  const { alerts, usersMovingAlerts } = wireAlerts(infra, { users, notifier: slack.sender, timezones, weatherReport, answered: installs.answered });
  const { bot, handler } = wireBot(infra, { users: usersMovingAlerts, weather, reminders, alerts });
  // Delivery tells reminders how each of their messages ended. One after the other: a key is a
  // reminder's or a reply's, never both, so at most one of them does any work.
  const delivery = wireSlackDelivery(
    infra,
    slack,
    { posted: (message) => reminders.settle(message.key, 'posted').then(() => slack.usage.replied(message.key)), givenUp: async (key) => void (await reminders.settle(key, 'given-up')) },
    options,
  );
  const processor = createSlackEventProcessor({
    queue: infra.queue,
    handler,
    delivery,
    logger: slack.logger,
    onReceived: (message, key) => slack.usage.received(key, message.teamId),
  });
  const me = wireMe(infra, { auth, users: usersMovingAlerts, weather, reminders, alerts });
  // Every admin action, whichever page or API did it.
  const audit = createAuditLog({ dataSource: infra.dataSource });
  const app = wireWeb(infra, { slack, auth, workspaces: installs, handler, delivery, users, weather, tokens, me, routing, audit, ...(options.drain ? { drain: options.drain } : {}) });
  const startWorkers = wireWorkers(infra, { processor, delivery, reminders, alerts });
  const close = async () => {
    routing.close();
    await auth.close();
  };
  return { users, weather, bot, delivery, reminders, alerts, routing, app, startWorkers, workspaces: installs.workspaces, auth, audit, close };
}
