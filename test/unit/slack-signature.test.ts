import { createHmac } from 'node:crypto';
import { signSlackRequest } from '../../src/modules/slack';
import { createSignatureVerifier } from '../../src/modules/slack/slack.signature';

/** Slack's v0 request signing: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, 5-minute window. */

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW_S = 1_531_420_618;
const body = Buffer.from('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070');

function verifierAt(nowSeconds: number) {
  return createSignatureVerifier({ signingSecret: SECRET, now: () => nowSeconds * 1000 });
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe('Slack request signature', () => {
  const verify = verifierAt(NOW_S);
  const signed = signSlackRequest(SECRET, body, NOW_S);

  it('signs as Slack documents it: v0= and the hex HMAC-SHA256 of v0:timestamp:body', () => {
    const expected = createHmac('sha256', SECRET).update(`v0:${NOW_S}:${body.toString()}`).digest('hex');
    expect(signed).toEqual({ 'x-slack-request-timestamp': String(NOW_S), 'x-slack-signature': `v0=${expected}` });
  });

  it('when the signature matches, then the request is accepted', () => {
    expect(() => verify(signed['x-slack-request-timestamp'], signed['x-slack-signature'], body)).not.toThrow();
  });

  it('when the hex is upper case, then it is still accepted', () => {
    expect(codeOf(() => verify(String(NOW_S), `v0=${signed['x-slack-signature'].slice(3).toUpperCase()}`, body))).toBeUndefined();
  });

  it('when the body was altered by one byte, then SLACK.BAD_SIGNATURE', () => {
    const altered = Buffer.from(body);
    altered[altered.length - 1] = 0x31;
    expect(codeOf(() => verify(String(NOW_S), signed['x-slack-signature'], altered))).toBe('SLACK.BAD_SIGNATURE');
  });

  it('when the timestamp was changed after signing, then SLACK.BAD_SIGNATURE', () => {
    expect(codeOf(() => verify(String(NOW_S - 1), signed['x-slack-signature'], body))).toBe('SLACK.BAD_SIGNATURE');
  });

  it('when signed with another secret, then SLACK.BAD_SIGNATURE', () => {
    const other = signSlackRequest('another-secret', body, NOW_S);
    expect(codeOf(() => verify(String(NOW_S), other['x-slack-signature'], body))).toBe('SLACK.BAD_SIGNATURE');
  });

  it.each([
    ['no signature', String(NOW_S), undefined],
    ['no timestamp', undefined, 'v0=' + 'a'.repeat(64)],
    ['a v1 signature', String(NOW_S), 'v1=' + 'a'.repeat(64)],
    ['a short signature', String(NOW_S), 'v0=abcd'],
    ['non-hex characters', String(NOW_S), 'v0=' + 'z'.repeat(64)],
    ['a signature too long', String(NOW_S), 'v0=' + 'a'.repeat(66)],
    ['a timestamp that is not a number', 'yesterday', 'v0=' + 'a'.repeat(64)],
    ['repeated headers (an array)', [String(NOW_S)], 'v0=' + 'a'.repeat(64)],
  ])('when there is %s, then SLACK.BAD_SIGNATURE', (_what, timestamp, signature) => {
    expect(codeOf(() => verify(timestamp, signature, body))).toBe('SLACK.BAD_SIGNATURE');
  });

  it.each([
    ['5 minutes old', -300, undefined],
    ['5 minutes ahead', 300, undefined],
    ['5 minutes and 1 second old', -301, 'SLACK.STALE_REQUEST'],
    ['5 minutes and 1 second ahead', 301, 'SLACK.STALE_REQUEST'],
  ])('when the request is %s, then %s', (_what, offset, code) => {
    const at = NOW_S + offset;
    const headers = signSlackRequest(SECRET, body, at);
    expect(codeOf(() => verify(headers['x-slack-request-timestamp'], headers['x-slack-signature'], body))).toBe(code);
  });

  it('answers 401 for every refusal', () => {
    try {
      verify(undefined, undefined, body);
      throw new Error('accepted');
    } catch (err) {
      expect((err as { status?: number }).status).toBe(401);
    }
  });
});
