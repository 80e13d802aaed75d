import { Router } from 'express';
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { createApp } from '../../src/platform/app';
import { createFakeTokensService } from '../../src/modules/tokens';
import type { JsonWebKeySet } from '../../src/modules/tokens/tokens.types';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createServiceTokenVerifier, requireServiceToken, serviceCaller } from '../../src/platform/service-auth';

/**
 * The verification middleware every extracted service runs, against real tokens from the
 * tokens service and hostile ones crafted with jose. Keys come from a local JWKS function.
 */
const ISSUER = 'urn:jeeves:tokens';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => token.split('.') as [string, string, string];
const payloadOf = (token: string) => JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString()) as Record<string, unknown>;

async function setup() {
  let now = Date.UTC(2030, 0, 1, 12, 0, 0);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const tokens = createFakeTokensService({ issuer: ISSUER, tokenTtlSeconds: 300, clock: clock.now });
  const stranger = createFakeTokensService({ issuer: 'urn:someone-else', clock: clock.now });
  const { clientSecret } = await tokens.registerClient('monolith', ['weather', 'users']);
  const { clientSecret: strangerSecret } = await stranger.registerClient('monolith', ['weather']);
  let jwksCalls = 0;
  let jwksFails = false;
  // Serves both issuers' keys: so a token from the wrong issuer has a signature that checks out.
  const jwks = async (): Promise<JsonWebKeySet> => {
    jwksCalls += 1;
    if (jwksFails) throw new Error('database down');
    return { keys: [...(await tokens.jwks()).keys, ...(await stranger.jwks()).keys] };
  };
  const guarded = Router();
  guarded.get('/whoami', requireServiceToken({ keys: { jwks }, audience: 'weather', issuer: ISSUER, clock: clock.now }), (_req, res) => {
    res.json(serviceCaller(res));
  });
  const app = createApp({ logger: createLogger({ level: 'silent' }), metrics: createMetrics({ defaults: false }), readiness: {}, routes: [{ path: '/', router: guarded }] });
  const issue = async (audience = 'weather') => (await tokens.issueToken({ clientId: 'monolith', clientSecret, audience })).access_token;
  const issueByStranger = async () => (await stranger.issueToken({ clientId: 'monolith', clientSecret: strangerSecret, audience: 'weather' })).access_token;
  const call = (authorization?: string) => {
    const req = request(app).get('/whoami');
    return authorization === undefined ? req : req.set('authorization', authorization);
  };
  return {
    tokens, clock, issue, issueByStranger, call,
    jwksCalls: () => jwksCalls,
    failJwks: () => (jwksFails = true),
  };
}

async function foreignKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

function expectRefused(res: request.Response, reason: string) {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: { code: 'AUTH.INVALID_TOKEN', message: expect.any(String), details: { reason } } });
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="jeeves-services"/);
}

describe('requireServiceToken', () => {
  it('with a valid token, then the route runs and knows the calling client', async () => {
    const s = await setup();
    const res = await s.call(`Bearer ${await s.issue()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'monolith', tokenId: expect.any(String), expiresAt: expect.any(Number) });
  });

  it('without an Authorization header, then 401 missing, and the challenge names no error', async () => {
    const s = await setup();
    const res = await s.call();
    expectRefused(res, 'missing');
    expect(res.body.error.message).toMatch(/Authorization: Bearer/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="jeeves-services"');
  });

  it('with a non-Bearer scheme, then 401 malformed', async () => {
    const s = await setup();
    expectRefused(await s.call('Basic bW9ub2xpdGg6c2VjcmV0'), 'malformed');
  });

  it('with a Bearer value that is not a JWT, then 401 malformed', async () => {
    const s = await setup();
    expectRefused(await s.call('Bearer not-a-jwt'), 'malformed');
  });

  it('with an expired token, then 401 expired', async () => {
    const s = await setup();
    const token = await s.issue();
    s.clock.advance(300_000 + 5_000 + 1_000);
    const res = await s.call(`Bearer ${token}`);
    expectRefused(res, 'expired');
    expect(res.body.error.message).toBe('The token has expired.');
  });

  it('with a token that expired within the clock tolerance, then it is still accepted', async () => {
    const s = await setup();
    const token = await s.issue();
    s.clock.advance(300_000 + 4_000);
    expect((await s.call(`Bearer ${token}`)).status).toBe(200);
  });

  it('with a token for another service, then 401 wrong_audience naming this one', async () => {
    const s = await setup();
    const res = await s.call(`Bearer ${await s.issue('users')}`);
    expectRefused(res, 'wrong_audience');
    expect(res.body.error.message).toContain('"weather"');
  });

  it('with a token from another issuer, then 401 wrong_issuer even though its signature is good', async () => {
    const s = await setup();
    expectRefused(await s.call(`Bearer ${await s.issueByStranger()}`), 'wrong_issuer');
  });

  it('with a token signed by a foreign key under an unknown kid, then 401 unknown_key', async () => {
    const s = await setup();
    const { privateKey } = await foreignKey();
    const payload = payloadOf(await s.issue());
    const forged = await new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'foreign', typ: 'at+jwt' }).sign(privateKey);
    expectRefused(await s.call(`Bearer ${forged}`), 'unknown_key');
  });

  it('with a token signed by a foreign key claiming the real kid, then 401 bad_signature', async () => {
    const s = await setup();
    const { privateKey } = await foreignKey();
    const genuine = await s.issue();
    const forged = await new SignJWT(payloadOf(genuine)).setProtectedHeader(decodeProtectedHeader(genuine) as { alg: string }).sign(privateKey);
    expectRefused(await s.call(`Bearer ${forged}`), 'bad_signature');
  });

  it('with alg none (unsigned), then 401 disallowed_alg naming it', async () => {
    const s = await setup();
    const genuine = await s.issue();
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid: decodeProtectedHeader(genuine).kid })}.${parts(genuine)[1]}.`;
    const res = await s.call(`Bearer ${unsigned}`);
    expectRefused(res, 'disallowed_alg');
    expect(res.body.error.message).toContain('"none"');
  });

  it('with HS256 keyed by the public key (algorithm confusion), then 401 disallowed_alg', async () => {
    const s = await setup();
    const genuine = await s.issue();
    const publicJwk = (await s.tokens.jwks()).keys[0]!;
    const forged = await new SignJWT(payloadOf(genuine))
      .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid, typ: 'at+jwt' })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    expectRefused(await s.call(`Bearer ${forged}`), 'disallowed_alg');
  });

  it('with a tampered payload under the original signature, then 401 bad_signature', async () => {
    const s = await setup();
    const [header, payload, signature] = parts(await s.issue());
    const tampered = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' });
    expectRefused(await s.call(`Bearer ${header}.${tampered}.${signature}`), 'bad_signature');
  });

  it('after a rotation, a token with the new kid verifies once the cooldown allows refetching the keys', async () => {
    const s = await setup();
    expect((await s.call(`Bearer ${await s.issue()}`)).status).toBe(200);
    await s.tokens.rotateKeys();
    const rotated = await s.issue();

    expectRefused(await s.call(`Bearer ${rotated}`), 'unknown_key');
    s.clock.advance(30_000);
    expect((await s.call(`Bearer ${rotated}`)).status).toBe(200);
  });

  it('refetches the keys for unknown kids at most once per cooldown', async () => {
    const s = await setup();
    const { privateKey } = await foreignKey();
    const payload = payloadOf(await s.issue());
    await s.call(`Bearer ${await s.issue()}`);
    s.clock.advance(30_000);
    for (const kid of ['a', 'b', 'c']) {
      const forged = await new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).sign(privateKey);
      await s.call(`Bearer ${forged}`);
    }
    expect(s.jwksCalls()).toBe(2);
  });

  it('when the keys cannot be fetched, then 503 AUTH.KEYS_UNAVAILABLE, not a 401 that blames the caller', async () => {
    const s = await setup();
    s.failJwks();
    const res = await s.call(`Bearer ${await s.issue()}`);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('AUTH.KEYS_UNAVAILABLE');
  });
});

describe('requireServiceToken, remembering tokens it verified', () => {
  it('a remembered token is still refused once it expires', async () => {
    const s = await setup();
    const token = await s.issue();
    expect((await s.call(`Bearer ${token}`)).status).toBe(200);
    s.clock.advance(300_000 + 4_000);
    expect((await s.call(`Bearer ${token}`)).status).toBe(200);
    s.clock.advance(2_000);
    expectRefused(await s.call(`Bearer ${token}`), 'expired');
  });

  it('after a genuine token is accepted, forgeries that reuse its parts are still refused', async () => {
    const s = await setup();
    const genuine = await s.issue();
    expect((await s.call(`Bearer ${genuine}`)).status).toBe(200);
    const [header, payload, signature] = parts(genuine);

    const { privateKey } = await foreignKey();
    const forged = await new SignJWT(payloadOf(genuine)).setProtectedHeader(decodeProtectedHeader(genuine) as { alg: string }).sign(privateKey);
    expectRefused(await s.call(`Bearer ${forged}`), 'bad_signature');
    const tampered = b64({ ...payloadOf(genuine), sub: 'admin' });
    expectRefused(await s.call(`Bearer ${header}.${tampered}.${signature}`), 'bad_signature');
    expectRefused(await s.call(`Bearer ${header}.${payload}.`), 'bad_signature');
    expectRefused(await s.call(`Bearer ${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`), 'disallowed_alg');
  });

  it('a remembered token is not trusted longer than the key set it was verified with', async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const tokens = createFakeTokensService({ issuer: ISSUER, tokenTtlSeconds: 300, clock: () => now });
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    let keysFail = false;
    const jwks = async () => {
      if (keysFail) throw new Error('database down');
      return tokens.jwks();
    };
    const verifier = createServiceTokenVerifier({ keys: { jwks, cacheMaxAgeMs: 60_000 }, audience: 'weather', issuer: ISSUER, clock: () => now });
    const authorization = `Bearer ${(await tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' })).access_token}`;
    await expect(verifier.verify(authorization)).resolves.toMatchObject({ clientId: 'monolith' });
    keysFail = true;
    now += 59_000;
    await expect(verifier.verify(authorization)).resolves.toMatchObject({ clientId: 'monolith' });
    // Still within the token's life, but past the key set's age: it is checked against fresh keys again.
    now += 2_000;
    await expect(verifier.verify(authorization)).rejects.toMatchObject({ code: 'AUTH.KEYS_UNAVAILABLE' });
  });
});
