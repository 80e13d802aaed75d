import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createFakeTokensService, type TokensService } from '../../src/modules/tokens';

/** The service's logic over the in-memory store, with time under the test's control. */
const ISSUER = 'urn:jeeves:tokens';
const TTL = 300;

function setup() {
  let now = Date.UTC(2030, 0, 1, 12, 0, 0);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const tokens = createFakeTokensService({ issuer: ISSUER, tokenTtlSeconds: TTL, clock: clock.now });
  return { tokens, clock };
}

async function verify(tokens: TokensService, token: string, at: number, audience = 'weather') {
  return jwtVerify(token, createLocalJWKSet(await tokens.jwks()), { issuer: ISSUER, audience, algorithms: ['ES256'], currentDate: new Date(at) });
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; status?: number };
  }
  throw new Error('expected a rejection');
}

describe('tokens service: issuing', () => {
  it('issues a token that verifies against its own JWKS, with iss, sub, aud, iat, exp, jti and kid', async () => {
    const { tokens, clock } = setup();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);

    const issued = await tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' });

    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: TTL });
    const { payload, protectedHeader } = await verify(tokens, issued.access_token, clock.now());
    expect(payload).toMatchObject({ iss: ISSUER, sub: 'monolith', aud: 'weather', client_id: 'monolith' });
    expect(payload.exp! - payload.iat!).toBe(TTL);
    expect(payload.iat).toBe(Math.floor(clock.now() / 1000));
    expect(payload.jti).toEqual(expect.any(String));
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: (await tokens.jwks()).keys[0]!.kid });
  });

  it('gives every token its own jti', async () => {
    const { tokens } = setup();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    const [a, b] = await Promise.all([1, 2].map(() => tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' })));
    const jti = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()).jti;
    expect(jti(a!.access_token)).not.toBe(jti(b!.access_token));
  });

  it('when the secret is wrong, then TOKENS.INVALID_CLIENT (401)', async () => {
    const { tokens } = setup();
    await tokens.registerClient('monolith', ['weather']);
    const err = await rejection(tokens.issueToken({ clientId: 'monolith', clientSecret: 'not-the-secret', audience: 'weather' }));
    expect(err).toMatchObject({ code: 'TOKENS.INVALID_CLIENT', status: 401 });
  });

  it('when the client is unknown, then the same TOKENS.INVALID_CLIENT as a wrong secret', async () => {
    const { tokens } = setup();
    const err = await rejection(tokens.issueToken({ clientId: 'nobody', clientSecret: 'x', audience: 'weather' }));
    expect(err).toMatchObject({ code: 'TOKENS.INVALID_CLIENT', status: 401 });
  });

  it('when the client was revoked, then its correct secret is refused', async () => {
    const { tokens } = setup();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    expect(await tokens.revokeClient('monolith')).toBe(true);
    const err = await rejection(tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' }));
    expect(err).toMatchObject({ code: 'TOKENS.INVALID_CLIENT' });
  });

  it('when the audience is not one the client may ask for, then TOKENS.INVALID_AUDIENCE (400)', async () => {
    const { tokens } = setup();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    const err = await rejection(tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'users' }));
    expect(err).toMatchObject({ code: 'TOKENS.INVALID_AUDIENCE', status: 400 });
  });

  it('when a client id is registered twice, then TOKENS.CLIENT_EXISTS (409)', async () => {
    const { tokens } = setup();
    await tokens.registerClient('monolith', ['weather']);
    expect(await rejection(tokens.registerClient('monolith', ['users']))).toMatchObject({ code: 'TOKENS.CLIENT_EXISTS', status: 409 });
  });

  it('when a client has no audience, then registration is refused with HTTP.VALIDATION', async () => {
    const { tokens } = setup();
    expect(await rejection(tokens.registerClient('monolith', []))).toMatchObject({ code: 'HTTP.VALIDATION', status: 400 });
  });

  it('accepts a provisioned secret instead of generating one', async () => {
    const { tokens } = setup();
    const secret = 'a-provisioned-secret-of-at-least-32-chars';
    const registered = await tokens.registerClient('monolith', ['weather'], { secret });
    expect(registered.clientSecret).toBe(secret);
    await expect(tokens.issueToken({ clientId: 'monolith', clientSecret: secret, audience: 'weather' })).resolves.toMatchObject({ token_type: 'Bearer' });
  });
});

describe('tokens service: keys and rotation', () => {
  it('serves only public members in the JWKS, with kid, alg ES256 and use sig', async () => {
    const { tokens } = setup();
    await tokens.ensureActiveKey();
    const { keys } = await tokens.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' });
  });

  it('ensureActiveKey is idempotent: a second call keeps the same key', async () => {
    const { tokens } = setup();
    const first = await tokens.ensureActiveKey();
    expect((await tokens.ensureActiveKey()).kid).toBe(first.kid);
  });

  it('after a rotation, new tokens carry the new kid and a token of the old key still verifies', async () => {
    const { tokens, clock } = setup();
    const { clientSecret } = await tokens.registerClient('monolith', ['weather']);
    const before = await tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' });
    const oldKid = decodeProtectedHeader(before.access_token).kid;

    clock.advance(60_000);
    const rotated = await tokens.rotateKeys();
    const after = await tokens.issueToken({ clientId: 'monolith', clientSecret, audience: 'weather' });

    expect(rotated.kid).not.toBe(oldKid);
    expect(decodeProtectedHeader(after.access_token).kid).toBe(rotated.kid);
    expect((await tokens.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, oldKid]);
    await expect(verify(tokens, before.access_token, clock.now())).resolves.toBeDefined();
  });

  it('a retired key leaves the JWKS once every token it signed has expired', async () => {
    const { tokens, clock } = setup();
    const old = await tokens.ensureActiveKey();
    await tokens.rotateKeys();

    clock.advance(TTL * 1000);
    expect((await tokens.jwks()).keys.map((k) => k.kid)).toContain(old.kid);
    clock.advance(5 * 60_000);
    expect((await tokens.jwks()).keys.map((k) => k.kid)).not.toContain(old.kid);
  });

  it('rotateKeys answers with the new key: created now, neither retired nor expiring', async () => {
    const { tokens, clock } = setup();
    await tokens.ensureActiveKey();
    const next = await tokens.rotateKeys();
    expect(next).toMatchObject({ retireAfter: null, expiresAt: null, createdAt: new Date(clock.now()).toISOString() });
  });
});
