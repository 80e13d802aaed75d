/**
 * What never reaches a log line: bot, user and refresh tokens, client and signing secrets,
 * cookies, Authorization headers, and OAuth's `code`/`state` in URLs. Two layers: pino's
 * redact paths for the shapes we log on purpose, and a pass over each finished line that
 * catches the same secrets at any depth, inside error messages and stacks, and in URLs.
 */

export const CENSOR = '[redacted]';

/** Keys whose values are secrets wherever they appear. */
const SECRET_KEYS = [
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'bot_token',
  'botToken',
  'user_token',
  'userToken',
  'id_token',
  'idToken',
  'client_secret',
  'clientSecret',
  'password',
  'secret',
  'signingSecret',
  'signing_secret',
  'sessionSecret',
  'encryptionKey',
  'authorization',
  'cookie',
];

/** pino redact paths: the secret keys at the top and one level down, and the headers of requests and answers. */
export const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
];

const JSON_STRING = '"(?:[^"\\\\]|\\\\.)*"';
/** A key ending in token, secret or password (accessToken, bot_token, SERVICE_CLIENT_SECRET...), or a header that carries credentials. */
const SECRET_MEMBER = new RegExp(
  `("(?:[\\w-]*(?:token|secret|password)|authorization|proxy-authorization|cookie|set-cookie|x-slack-signature)"\\s*:\\s*)(?:${JSON_STRING}|\\[(?:\\s*${JSON_STRING}\\s*,?)*\\])`,
  'gi',
);
/** OAuth's one-time code and state, and tokens, as query or form parameters. */
const SECRET_PARAM = /((?:^|[?&#;"\s])(?:code|state|token|access_token|refresh_token|id_token|client_secret|code_verifier)=)[^&#;\s"\\]+/gi;
/** Slack tokens (xoxb-, xoxp-, xoxe-, xoxe.xoxb-...) and bearer credentials in free text. */
const SLACK_TOKEN = /\bxox[a-z](?:\.xox[a-z])?-[\w-]+/gi;
const CREDENTIAL = /\b((?:Bearer|Basic)\s+)[\w\-.~+/]+=*/gi;

/** Scrubs one serialized log line (pino's streamWrite hook). */
export function scrubLogLine(line: string): string {
  return line
    .replace(SECRET_MEMBER, `$1"${CENSOR}"`)
    .replace(SECRET_PARAM, `$1${CENSOR}`)
    .replace(SLACK_TOKEN, CENSOR)
    .replace(CREDENTIAL, `$1${CENSOR}`);
}
