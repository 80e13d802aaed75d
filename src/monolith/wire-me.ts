import type { Router } from 'express';
import type { Infrastructure } from '../infrastructure/infrastructure';
import { createMeRouter, type MeRouterOptions } from '../modules/me';
import { moduleLogger } from '../platform/logger';

/** The member's page, over the same faces the chat commands use (users as the bot sees it, so alerts follow a move). */
export function wireMe(infra: Infrastructure, ports: Omit<MeRouterOptions, 'logger'>): Router {
  return createMeRouter({ ...ports, logger: moduleLogger(infra.logger, 'me') });
}
