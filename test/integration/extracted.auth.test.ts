import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { usersService } from '../../extracted/users/main';
import { weatherService } from '../../extracted/weather/main';
import { startOpenMeteoStandIn, type OpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { requestClientCredentialsToken } from '../../src/platform/service-auth';
import { start, startExtracted, startTokensStack, type ExtractedStack, type TokensStack } from './extracted.support';

/**
 * The extracted services as a stranger meets them: their API needs a service token for them
 * from the tokens service; health, metrics and the API description do not.
 */

async function tokenFrom(tokens: TokensStack, audience: string, audiences = [audience]): Promise<string> {
  const clientId = `probe-${randomBytes(4).toString('hex')}`;
  const clientSecret = await tokens.register(clientId, audiences);
  const token = await requestClientCredentialsToken({ tokenUrl: `${tokens.service.url}/oauth/token`, clientId, clientSecret, audience });
  return token.access_token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Flips one character in the middle of the payload: still well-formed, no longer what was signed. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const i = Math.floor(payload.length / 2);
  return `${header}.${payload.slice(0, i)}${payload[i] === 'A' ? 'B' : 'A'}${payload.slice(i + 1)}.${signature}`;
}

describe.each([
  ['users', usersService, { method: 'PUT', path: '/api/users/T0AUTH01/U0AUTH01' }],
  ['weather', weatherService, { method: 'GET', path: '/api/weather/geocode?place=Paris' }],
] as const)('the extracted %s service', (name, definition, probe) => {
  let openMeteo: OpenMeteoStandIn;
  let stack: ExtractedStack;
  let other: TokensStack;

  beforeAll(async () => {
    openMeteo = await startOpenMeteoStandIn();
    stack = await startExtracted(definition, { WEATHER_API_URL: openMeteo.forecastUrl, GEOCODING_API_URL: openMeteo.geocodingUrl });
    // A second tokens service: its keys are real, but not the ones this service trusts.
    other = await startTokensStack();
  });
  afterAll(async () => {
    await stack?.close();
    await other?.close();
    await openMeteo?.close();
  });

  const call = (headers: Record<string, string> = {}) => fetch(`${stack.service.url}${probe.path}`, { method: probe.method, headers });

  async function refusal(headers: Record<string, string>): Promise<{ reason: unknown; message: string; challenge: string | null }> {
    const res = await call(headers);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string; details?: { reason?: unknown } } };
    expect(body.error.code).toBe('AUTH.INVALID_TOKEN');
    return { reason: body.error.details?.reason, message: body.error.message, challenge: res.headers.get('www-authenticate') };
  }

  it('without a token, then 401 saying a service token is required, with a Bearer challenge', async () => {
    const { reason, message, challenge } = await refusal({});
    expect(reason).toBe('missing');
    expect(message).toMatch(/service token is required/);
    expect(challenge).toBe('Bearer realm="jeeves-services"');
  });

  it('with a token that is not a JWT, then 401 malformed', async () => {
    expect((await refusal(bearer('not-a-token'))).reason).toBe('malformed');
  });

  it('with a tampered token, then 401 bad_signature', async () => {
    expect((await refusal(bearer(tamper(await tokenFrom(stack.tokens, name))))).reason).toBe('bad_signature');
  });

  it('with a token for another service, then 401 wrong_audience naming this one', async () => {
    const otherAudience = name === 'users' ? 'weather' : 'users';
    const { reason, message } = await refusal(bearer(await tokenFrom(stack.tokens, otherAudience)));
    expect(reason).toBe('wrong_audience');
    expect(message).toContain(`"${name}"`);
  });

  it('with a token signed by a key the tokens service never published, then 401 unknown_key', async () => {
    expect((await refusal(bearer(await tokenFrom(other, name)))).reason).toBe('unknown_key');
  });

  it('with a valid token for it, then 200 from its API', async () => {
    const res = await call(await stack.headers());
    expect(res.status).toBe(200);
  });

  it.each(['/healthz', '/readyz', '/metrics', '/openapi.json'])('answers %s without a token', async (path) => {
    const res = await fetch(`${stack.service.url}${path}`);
    expect(res.status).toBe(200);
  });

  it('answers an unknown route with 404, not 401', async () => {
    expect((await fetch(`${stack.service.url}/nowhere`)).status).toBe(404);
  });
});

describe('the extracted tokens service', () => {
  let tokens: TokensStack;
  beforeAll(async () => {
    tokens = await startTokensStack();
  });
  afterAll(() => tokens?.close());

  it('issues tokens without a service token: client credentials are the authentication', async () => {
    const secret = await tokens.register('caller', ['users']);
    const res = await fetch(`${tokens.service.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`caller:${secret}`).toString('base64')}` },
      body: 'grant_type=client_credentials&audience=users',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token_type: string }).token_type).toBe('Bearer');
  });

  it('with wrong client credentials, then 401 invalid_client', async () => {
    const res = await fetch(`${tokens.service.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('caller:wrong').toString('base64')}` },
      body: 'grant_type=client_credentials&audience=users',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
  });

  it.each(['/.well-known/jwks.json', '/healthz', '/readyz', '/metrics', '/openapi.json'])('answers %s without a token', async (path) => {
    expect((await fetch(`${tokens.service.url}${path}`)).status).toBe(200);
  });
});

describe('a users service with its own DATABASE_URL', () => {
  const admin = () => new Client({ connectionString: process.env.JEEVES_TEST_PG_ADMIN_URL });
  const name = `jeeves_t_users_${randomBytes(5).toString('hex')}`;
  let usersDbUrl: string;
  let tokens: TokensStack;

  async function tablesIn(url: string): Promise<string[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
      return rows.map((r) => r.table_name);
    } finally {
      await client.end();
    }
  }

  async function countIn(url: string, sql: string, params: unknown[]): Promise<number> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query<{ n: string }>(sql, params)).rows[0]!.n);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    // Empty, not a copy of the migrated template: what the service creates there is its own doing.
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(process.env.JEEVES_TEST_PG_ADMIN_URL!);
    url.pathname = `/${name}`;
    usersDbUrl = url.toString();
    tokens = await startTokensStack();
  });
  afterAll(async () => {
    await tokens?.close();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });

  it('creates only the users tables there, and the members it stores live there and nowhere else', async () => {
    const service = await start(usersService, { DATABASE_URL: usersDbUrl, TOKENS_JWKS_URL: `${tokens.service.url}/.well-known/jwks.json` });
    try {
      const res = await fetch(`${service.url}/api/users/T0OWNDB1/U0OWNDB1`, { method: 'PUT', headers: bearer(await tokenFrom(tokens, 'users')) });
      expect(res.status).toBe(200);
    } finally {
      await service.close();
    }

    const tables = await tablesIn(usersDbUrl);
    expect(tables.filter((t) => t !== 'jeeves_migrations').every((t) => t.startsWith('users_'))).toBe(true);
    expect(tables.some((t) => t.startsWith('users_'))).toBe(true);
    const sql = `SELECT count(*) AS n FROM users_profiles WHERE team_id = $1`;
    expect(await countIn(usersDbUrl, sql, ['T0OWNDB1'])).toBe(1);
    expect(await countIn(tokens.db.url, sql, ['T0OWNDB1'])).toBe(0);
  });
});
