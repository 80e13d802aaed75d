import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { createIdTokenVerifier, type IdTokenVerifier } from '../../src/modules/auth/auth.id-token';

/** The checks on Slack's id_token (OpenID Connect Core 3.1.3.7), each by a token that breaks one rule. */

const CLIENT_ID = '1111111111.2222222222';
const NOW = new Date('2026-03-01T12:00:00Z');
const iat = Math.floor(NOW.getTime() / 1000);

let slackKey: CryptoKey;
let otherKey: CryptoKey;
let verify: IdTokenVerifier;

beforeAll(async () => {
  const slack = await generateKeyPair('RS256', { extractable: true });
  slackKey = slack.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(slack.publicKey)), kid: 'slack-1', alg: 'RS256' }] });
  verify = createIdTokenVerifier({ keys, clientId: CLIENT_ID, now: () => NOW });
});

const CLAIMS: JWTPayload = {
  iss: 'https://slack.com',
  aud: CLIENT_ID,
  sub: 'U0ALICE',
  iat,
  exp: iat + 300,
  nonce: 'the-nonce',
  'https://slack.com/team_id': 'T0STANDIN',
  'https://slack.com/user_id': 'U0ALICE',
  email: 'alice@example.com',
  name: 'Alice',
};

function token(claims: Partial<Record<string, unknown>> = {}, options: { key?: CryptoKey; alg?: string } = {}): Promise<string> {
  const payload: Record<string, unknown> = { ...CLAIMS };
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) delete payload[name];
    else payload[name] = value;
  }
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: options.alg ?? 'RS256', kid: 'slack-1' }).sign(options.key ?? slackKey);
}

describe('createIdTokenVerifier', () => {
  it('when every check passes, then the member and their name and email', async () => {
    await expect(verify(await token(), 'the-nonce')).resolves.toEqual({ sub: 'U0ALICE', teamId: 'T0STANDIN', userId: 'U0ALICE', email: 'alice@example.com', name: 'Alice' });
  });

  it.each([
    ['another nonce', {}, 'another-nonce', /nonce/],
    ['no nonce', { nonce: undefined }, 'the-nonce', /has no "nonce" claim/],
    ['another issuer', { iss: 'https://evil.example' }, 'the-nonce', /not issued by Slack/],
    ['another audience', { aud: '9.9' }, 'the-nonce', /meant for another app/],
    ['an issue time in the future', { iat: iat + 3600 }, 'the-nonce', /not valid yet/],
    ['an expiry past', { exp: iat - 120 }, 'the-nonce', /expired/],
    ['no team id', { 'https://slack.com/team_id': undefined }, 'the-nonce', /names no Slack team and user/],
    ['no user id', { 'https://slack.com/user_id': undefined }, 'the-nonce', /names no Slack team and user/],
  ])('when the id_token has %s, then the sign-in is rejected (403)', async (_what, claims, nonce, reason) => {
    const refused = verify(await token(claims), nonce);
    await expect(refused).rejects.toMatchObject({ code: 'AUTH.SIGN_IN_REJECTED', status: 403 });
    await expect(refused).rejects.toThrow(reason);
  });

  it('when it is signed by another key under Slack\'s key id, then rejected: the signature does not verify', async () => {
    await expect(verify(await token({}, { key: otherKey }), 'the-nonce')).rejects.toThrow(/signature does not verify/);
  });

  it('when it is signed with HS256 (the public key used as a secret), then rejected', async () => {
    const hs = await new SignJWT({ ...CLAIMS }).setProtectedHeader({ alg: 'HS256', kid: 'slack-1' }).sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(verify(hs, 'the-nonce')).rejects.toMatchObject({ code: 'AUTH.SIGN_IN_REJECTED' });
  });

  it('when it is unsigned (alg none), then rejected', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await expect(verify(`${b64({ alg: 'none' })}.${b64(CLAIMS)}.`, 'the-nonce')).rejects.toMatchObject({ code: 'AUTH.SIGN_IN_REJECTED' });
  });

  it('when the keys cannot be had, then Slack is unavailable (502), not a refusal', async () => {
    const unreachable = createIdTokenVerifier({ keys: () => Promise.reject(new Error('connect ECONNREFUSED')), clientId: CLIENT_ID, now: () => NOW });
    await expect(unreachable(await token(), 'the-nonce')).rejects.toMatchObject({ code: 'AUTH.SLACK_UNAVAILABLE', status: 502 });
  });
});
