import { deadlineIn, send, type RawRequest, type RawResponse } from '../../platform/http-transport';
import { SignInFailedError, SlackUnavailableError } from './auth.errors';

/** What openid.connect.token answers (https://api.slack.com/methods/openid.connect.token). */
export interface SlackTokenResponse {
  ok: true;
  access_token: string;
  token_type: string;
  id_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

/** What openid.connect.userInfo answers, in Slack's claim names. */
export interface SlackUserInfo {
  ok: true;
  sub: string;
  'https://slack.com/user_id': string;
  'https://slack.com/team_id': string;
  email?: string;
  name?: string;
}

export interface SlackOpenIdApiOptions {
  /** SLACK_API_URL: https://slack.com/api/ */
  apiUrl: string;
  timeoutMs?: number;
}

export interface SlackOpenIdApi {
  exchangeCode(form: Record<string, string>): Promise<SlackTokenResponse>;
  userInfo(accessToken: string): Promise<SlackUserInfo>;
}

/**
 * The two Web API methods of Sign in with Slack. Slack answers a refusal with HTTP 200 and
 * {"ok": false, "error"}: that is SignInFailedError (400: a reused or expired code); no answer,
 * another status or a body that is not JSON is SlackUnavailableError (502).
 */
export function createSlackOpenIdApi({ apiUrl, timeoutMs = 5000 }: SlackOpenIdApiOptions): SlackOpenIdApi {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;

  /** A redirect is not followed: its 3xx is an unusable answer like any other non-200. */
  async function call<T>(method: string, init: Pick<RawRequest, 'method' | 'headers' | 'body'>): Promise<T> {
    let response: RawResponse;
    try {
      response = await send(new URL(method, base), { ...init, deadline: deadlineIn(timeoutMs) });
    } catch (err) {
      throw new SlackUnavailableError(method, err);
    }
    const raw = response.text;
    if (response.status !== 200) throw new SlackUnavailableError(`${method} (HTTP ${response.status})`);
    let body: { ok?: unknown; error?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch (err) {
      throw new SlackUnavailableError(`${method} with JSON`, err);
    }
    if (body.ok !== true) throw new SignInFailedError(`Slack's ${method} answered ${typeof body.error === 'string' ? body.error : 'not ok'}`);
    return body as T;
  }

  return {
    async exchangeCode(form) {
      const body = await call<SlackTokenResponse>('openid.connect.token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      if (typeof body.access_token !== 'string' || body.access_token === '') throw new SignInFailedError('Slack sent no access token');
      return body;
    },

    async userInfo(accessToken) {
      const info = await call<SlackUserInfo>('openid.connect.userInfo', { headers: { authorization: `Bearer ${accessToken}` } });
      if (typeof info['https://slack.com/team_id'] !== 'string' || typeof info['https://slack.com/user_id'] !== 'string') {
        throw new SignInFailedError("Slack's userInfo named no team and user");
      }
      return info;
    },
  };
}
