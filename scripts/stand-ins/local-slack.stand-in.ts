import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSlackOAuthStandIn } from './slack-oauth.stand-in';
import { createSlackOpenIdRoutes, PRETEND_MEMBERS } from './slack-openid.stand-in';
import { startSlackApiStandIn, type SlackApiStandIn } from './slack.stand-in';

/**
 * Slack on this machine, for a person with no workspace: the Web API, "Add to Slack" (OAuth v2)
 * and "Sign in with Slack" (OpenID Connect) on one port, as slack.com serves them, plus
 * GET /stand-in/messages, which `npm run slack` reads to show what Jeeves posted to a workspace
 * that installed (those replies go to this Slack, not to the dev outbox).
 */
export const STAND_IN_MESSAGES_PATH = '/stand-in/messages';

export interface LocalSlack {
  api: SlackApiStandIn;
  /** What Jeeves needs to use it, as `export NAME=value` lines. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const CLIENT = { clientId: '1111111111.2222222222', clientSecret: 'stand-in-client-secret' };

function messagesRoute(api: () => SlackApiStandIn) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method !== 'GET' || url.pathname !== STAND_IN_MESSAGES_PATH) return false;
    const channel = url.searchParams.get('channel');
    const after = Number(url.searchParams.get('after') ?? -1);
    const messages = api()
      .messages.map((m, i) => ({ id: String(i), channel: m.channel, text: m.text }))
      .filter((m) => (channel === null || m.channel === channel) && Number(m.id) > after);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ messages }));
    return true;
  };
}

export async function startLocalSlack({ port = 8090 }: { port?: number } = {}): Promise<LocalSlack> {
  const installer = PRETEND_MEMBERS[0]!;
  const oauth = createSlackOAuthStandIn({ ...CLIENT, team: { id: installer.teamId, name: installer.teamName }, installer: installer.userId });
  const openId = await createSlackOpenIdRoutes(CLIENT);
  // Called only for requests, so after the server (and `api`) exists.
  const messages = messagesRoute(() => api);
  const api: SlackApiStandIn = await startSlackApiStandIn({
    port,
    validToken: (token) => oauth.validToken(token),
    routes: async (req, res, raw) => messages(req, res) || (await openId.handle(req, res, raw)) || (await oauth.routes(req, res, raw)),
  });
  const root = new URL('/', api.url);
  return {
    api,
    env: {
      SLACK_API_URL: api.url,
      SLACK_OAUTH_URL: new URL('/oauth/v2/authorize', root).toString(),
      SLACK_OPENID_URL: new URL('/openid/connect/authorize', root).toString(),
      SLACK_CLIENT_ID: CLIENT.clientId,
      SLACK_CLIENT_SECRET: CLIENT.clientSecret,
    },
    close: () => api.close(),
  };
}
