import { AppError } from '../../src/platform/errors';
import { createServiceTokenProvider, withTokenRetry, type TokenSource } from '../../src/platform/service-auth';

/** A token source that counts requests and hands out t1, t2, ... living `expiresIn` seconds. */
function countingSource(expiresIn = 300) {
  const audiences: string[] = [];
  const source: TokenSource = {
    async issue(audience) {
      audiences.push(audience);
      return { token: `t${audiences.length}`, expiresIn };
    },
  };
  return { source, audiences };
}

function fakeClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('service token provider', () => {
  it('asks for a token for its audience and sends it as a Bearer header', async () => {
    const { source, audiences } = countingSource();
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t1' });
    expect(audiences).toEqual(['weather']);
  });

  it('reuses the cached token on the second call', async () => {
    const { source, audiences } = countingSource();
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    await provider.headers();
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t1' });
    expect(audiences).toHaveLength(1);
  });

  it('keeps the token until 30 s before expiry, then fetches a new one', async () => {
    const clock = fakeClock();
    const { source } = countingSource(300);
    const provider = createServiceTokenProvider({ source, audience: 'weather', clock: clock.now });
    await provider.headers();

    clock.advance(269_999);
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t1' });
    clock.advance(1);
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t2' });
  });

  it('refreshes a short-lived token at 10% of its life before expiry', async () => {
    const clock = fakeClock();
    const { source } = countingSource(60);
    const provider = createServiceTokenProvider({ source, audience: 'weather', clock: clock.now });
    await provider.headers();

    clock.advance(53_999);
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t1' });
    clock.advance(1);
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t2' });
  });

  it('shares one request between concurrent callers (single flight)', async () => {
    let release!: () => void;
    let calls = 0;
    const source: TokenSource = {
      issue: () => {
        calls += 1;
        return new Promise((resolve) => {
          release = () => resolve({ token: 'only', expiresIn: 300 });
        });
      },
    };
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    const all = Promise.all([provider.headers(), provider.headers(), provider.headers()]);
    release();
    expect(await all).toEqual(Array(3).fill({ authorization: 'Bearer only' }));
    expect(calls).toBe(1);
  });

  it('does not cache a failure: the next call asks again', async () => {
    let fail = true;
    const source: TokenSource = {
      async issue() {
        if (fail) throw new AppError('TOKENS.UNAVAILABLE', 'down', 503);
        return { token: 'fresh', expiresIn: 300 };
      },
    };
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    await expect(provider.headers()).rejects.toMatchObject({ code: 'TOKENS.UNAVAILABLE' });
    fail = false;
    expect(await provider.headers()).toEqual({ authorization: 'Bearer fresh' });
  });

  it('invalidate() drops the cached token', async () => {
    const { source } = countingSource();
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    await provider.headers();
    provider.invalidate();
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t2' });
  });

  it('invalidate(rejected) ignores a token that was already replaced', async () => {
    const { source } = countingSource();
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    await provider.headers();
    provider.invalidate('Bearer t1');
    await provider.headers();
    provider.invalidate('Bearer t1');
    expect(await provider.headers()).toEqual({ authorization: 'Bearer t2' });
  });
});

describe('withTokenRetry', () => {
  const unauthorized = () => new AppError('AUTH.INVALID_TOKEN', 'expired', 401);

  it('when the call answers 401, then it drops the token and retries once with a fresh one', async () => {
    const { source } = countingSource();
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    const seen: string[] = [];
    const result = await withTokenRetry(provider, async ({ authorization }) => {
      seen.push(authorization);
      if (seen.length === 1) throw unauthorized();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(seen).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('when the retry answers 401 too, then that error is the answer (no third try)', async () => {
    const { source } = countingSource();
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    let calls = 0;
    const attempt = withTokenRetry(provider, async () => {
      calls += 1;
      throw unauthorized();
    });
    await expect(attempt).rejects.toMatchObject({ status: 401 });
    expect(calls).toBe(2);
  });

  it('does not retry other errors', async () => {
    const { source, audiences } = countingSource();
    const provider = createServiceTokenProvider({ source, audience: 'weather' });
    let calls = 0;
    const attempt = withTokenRetry(provider, async () => {
      calls += 1;
      throw new AppError('WEATHER.PLACE_NOT_FOUND', 'nowhere', 404);
    });
    await expect(attempt).rejects.toMatchObject({ status: 404 });
    expect(calls).toBe(1);
    expect(audiences).toHaveLength(1);
  });
});
