import { captureLogs } from '../support/log-capture';

/** Secrets logged in the shapes code tends to log them; none may survive into a line. */

const BOT = 'xoxb-1111-2222-botsecretvalue';
const USER = 'xoxp-3333-4444-usersecretvalue';
const REFRESH = 'xoxe-1-refreshsecretvalue';
const ROTATED = 'xoxe.xoxb-1-rotatedsecretvalue';
const CLIENT_SECRET = 'client-secret-value-0123456789';
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJub25jZSI6Im4ifQ.c2lnbmF0dXJl';
const COOKIE = 'jeeves.sid=s%3Asessionsecretvalue.sig';
const CODE = 'oauthcodesecretvalue';
const STATE = 'oauthstatesecretvalue';
const SERVICE_JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJqZWV2ZXMifQ.c2VydmljZXNpZw';

function logged(log: (logger: ReturnType<typeof captureLogs>['logger']) => void): string {
  const { logger, lines } = captureLogs();
  log(logger);
  return lines.join('');
}

const SECRETS = [BOT, USER, REFRESH, ROTATED, CLIENT_SECRET, ID_TOKEN, COOKIE, CODE, STATE, SERVICE_JWT];

function expectNoSecret(output: string): void {
  expect(output).not.toBe('');
  for (const secret of SECRETS) expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
}

describe('log redaction', () => {
  it('when an installation is logged with its tokens at any depth, then none of them is in the line', () => {
    const output = logged((logger) =>
      logger.info(
        {
          token: BOT,
          installation: { bot_token: BOT, botToken: BOT, refresh_token: REFRESH, refreshToken: REFRESH, user: { access_token: USER, accessToken: ROTATED, id_token: ID_TOKEN } },
          oauth: { response: { authed_user: { access_token: USER }, client_secret: CLIENT_SECRET, clientSecret: CLIENT_SECRET } },
        },
        'workspace installed',
      ),
    );
    expectNoSecret(output);
    expect(output).toContain('[redacted]');
    expect(output).toContain('workspace installed');
  });

  it('when request and answer headers are logged, then cookies and Authorization are not', () => {
    const output = logged((logger) =>
      logger.info(
        {
          req: { method: 'GET', url: '/me', headers: { cookie: COOKIE, authorization: `Bearer ${SERVICE_JWT}` } },
          res: { statusCode: 302, headers: { 'set-cookie': [`${COOKIE}; Path=/; HttpOnly`, 'other=1'] } },
          outgoing: { headers: { Authorization: `Bearer ${BOT}` } },
        },
        'request',
      ),
    );
    expectNoSecret(output);
    expect(output).toContain('"url":"/me"');
  });

  it('when a URL with code and state is logged, then their values are not, and the rest of the URL is', () => {
    const url = `/auth/slack/callback?code=${CODE}&state=${STATE}&foo=bar`;
    const output = logged((logger) => {
      logger.info({ req: { url }, redirect: `https://jeeves.example${url}` }, 'callback');
      logger.warn(`sign-in failed at https://jeeves.example/slack/oauth_redirect?state=${STATE}&code=${CODE}`);
    });
    expectNoSecret(output);
    expect(output).toContain('/auth/slack/callback?code=[redacted]&state=[redacted]&foo=bar');
  });

  it('when an error carries secrets in its message, then its message and stack are scrubbed', () => {
    const output = logged((logger) =>
      logger.error({ err: new Error(`Slack refused Bearer ${BOT} for grant_type=refresh_token&refresh_token=${REFRESH}&client_secret=${CLIENT_SECRET}`) }, 'refresh failed'),
    );
    expectNoSecret(output);
    expect(output).toContain('Slack refused Bearer [redacted]');
  });

  it('when ordinary fields look a little like secrets, then they are kept', () => {
    const output = logged((logger) => logger.info({ code: 'SLACK.CHANNEL_NOT_FOUND', tokenId: 'jti-1', token_type: 'Bearer', tokens: 3 }, 'kept'));
    expect(JSON.parse(output)).toMatchObject({ code: 'SLACK.CHANNEL_NOT_FOUND', tokenId: 'jti-1', token_type: 'Bearer', tokens: 3 });
  });
});
