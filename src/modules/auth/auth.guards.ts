import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, SignInRequiredError } from './auth.errors';
import { currentMember, deny, hasBearer } from './auth.http';
import type { Role, Roles } from './auth.types';

export interface RoleGuardOptions {
  /** The workspace the request acts on (e.g. from a route parameter); default the member's own. */
  team?: (req: Request) => string | undefined;
  /**
   * Accepts a service token instead of a session (e.g. requireServiceToken for audience
   * 'admin', which carries operator rights). A request with a Bearer token is judged by it alone.
   */
  serviceToken?: RequestHandler;
}

export interface Guards {
  requireSession: RequestHandler;
  requireRole(role: Role, options?: RoleGuardOptions): RequestHandler;
  requireOperator(options?: Omit<RoleGuardOptions, 'team'>): RequestHandler;
}

function runServiceToken(handler: RequestHandler, req: Request, res: Response, next: NextFunction): void {
  // The platform's guard is async (Express 5 style): its refusal is a rejected promise.
  Promise.resolve(handler(req, res, next)).catch(next);
}

/**
 * Who may pass. An operator passes every role check, for every workspace; a workspace admin
 * passes admin checks for their own workspace only. A stranger is sent to sign in (401 on /api).
 */
export function createGuards(roles: Roles): Guards {
  const requireSession: RequestHandler = (req, res, next) => {
    if (currentMember(req)) return next();
    deny(req, res, next, new SignInRequiredError());
  };

  function requireRole(role: Role, options: RoleGuardOptions = {}): RequestHandler {
    return async (req, res, next) => {
      if (options.serviceToken && hasBearer(req)) return runServiceToken(options.serviceToken, req, res, next);
      const member = currentMember(req);
      if (!member) return deny(req, res, next, new SignInRequiredError());
      const held = await roles.rolesOf(member.teamId, member.userId);
      if (held.includes('operator')) return next();
      if (role === 'operator') return deny(req, res, next, new ForbiddenError('Only an operator of this deployment may do this.'));
      const team = options.team?.(req) ?? member.teamId;
      if (team !== member.teamId) return deny(req, res, next, new ForbiddenError('A workspace admin acts on their own workspace only.'));
      if (held.includes('admin')) return next();
      deny(req, res, next, new ForbiddenError("Only an admin of this workspace may do this."));
    };
  }

  return {
    requireSession,
    requireRole,
    requireOperator: (options = {}) => requireRole('operator', options),
  };
}
