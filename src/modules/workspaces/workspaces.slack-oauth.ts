import { z } from 'zod';
import { deadlineIn, send } from '../../platform/http-transport';
import { SlackOAuthRefusedError, SlackOAuthUnavailableError, UnsupportedInstallError } from './workspaces.errors';

/** What oauth.v2.access grants: a bot token, and with token rotation a refresh token and a lifetime. */
export interface SlackGrant {
  teamId?: string;
  teamName?: string;
  appId?: string;
  botUserId?: string;
  scopes: string[];
  installerUserId?: string;
  botToken: string;
  refreshToken?: string;
  expiresInSeconds?: number;
}

export interface SlackOAuthClient {
  /** grant_type=authorization_code: the code Slack sent to the redirect URI. */
  exchangeCode(code: string, redirectUri: string): Promise<SlackGrant>;
  /** grant_type=refresh_token: a new bot token and refresh token; the old refresh token is spent. */
  refresh(refreshToken: string): Promise<SlackGrant>;
}

export interface SlackOAuthClientOptions {
  /** SLACK_API_URL, ending with a slash. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

// ../shared/samples/slack-oauth-v2-access-response.json, plus refresh_token and expires_in with rotation.
const answerSchema = z.union([
  z.object({ ok: z.literal(false), error: z.string() }),
  z.object({
    ok: z.literal(true),
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    scope: z.string().default(''),
    bot_user_id: z.string().optional(),
    app_id: z.string().optional(),
    team: z.object({ id: z.string(), name: z.string().optional() }).nullish(),
    authed_user: z.object({ id: z.string().optional() }).nullish(),
    refresh_token: z.string().min(1).optional(),
    expires_in: z.number().int().positive().optional(),
  }),
]);

export function createSlackOAuthClient({ apiUrl, clientId, clientSecret, timeoutMs = 10_000 }: SlackOAuthClientOptions): SlackOAuthClient {
  const url = new URL('oauth.v2.access', apiUrl);
  // Slack takes the client's credentials as HTTP Basic, which keeps the secret out of bodies and logs.
  const authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

  async function access(form: Record<string, string>): Promise<SlackGrant> {
    const body = new URLSearchParams(form).toString();
    let status: number;
    let text: string;
    try {
      ({ status, text } = await send(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        deadline: deadlineIn(timeoutMs),
      }));
    } catch (err) {
      throw new SlackOAuthUnavailableError((err as Error).name === 'TimeoutError' ? `did not answer within ${timeoutMs} ms` : 'is unreachable', err);
    }
    if (status !== 200) throw new SlackOAuthUnavailableError(`answered HTTP ${status}`);
    let parsed: z.infer<typeof answerSchema>;
    try {
      parsed = answerSchema.parse(JSON.parse(text));
    } catch (err) {
      throw new SlackOAuthUnavailableError('answered in an unexpected shape', err);
    }
    if (!parsed.ok) throw new SlackOAuthRefusedError(parsed.error);
    if (parsed.token_type !== undefined && parsed.token_type !== 'bot') throw new UnsupportedInstallError(`Slack granted a ${parsed.token_type} token, not a bot token`);
    return {
      teamId: parsed.team?.id,
      teamName: parsed.team?.name,
      appId: parsed.app_id,
      botUserId: parsed.bot_user_id,
      installerUserId: parsed.authed_user?.id,
      scopes: parsed.scope.split(',').filter((s) => s !== ''),
      botToken: parsed.access_token,
      refreshToken: parsed.refresh_token,
      expiresInSeconds: parsed.expires_in,
    };
  }

  return {
    exchangeCode: (code, redirectUri) => access({ code, redirect_uri: redirectUri }),
    refresh: (refreshToken) => access({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  };
}
