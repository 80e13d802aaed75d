import { createFakeFlagResolver, unleashApiUrl } from '../../src/platform/flags';
import { summarizeUnleashFlag } from '../../src/platform/flags/unleash-summary';

const rollout = (pct: number, stickiness = 'default', extra: object = {}) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(pct), stickiness, groupId: 'f' },
  constraints: [],
  ...extra,
});

describe('how an Unleash flag is described in the file backend terms', () => {
  it('no strategy, or a default one, means everyone', () => {
    expect(summarizeUnleashFlag('f', true, [])).toEqual({ name: 'f', enabled: true, rollout: 100, stickiness: 'default' });
    expect(summarizeUnleashFlag('f', true, [{ name: 'default' }, rollout(10)])).toMatchObject({ rollout: 100 });
  });

  it('a plain flexible rollout gives its percentage and stickiness; of several, the widest', () => {
    expect(summarizeUnleashFlag('f', false, [rollout(20, 'teamId'), rollout(45, 'userId')])).toEqual({
      name: 'f',
      enabled: false,
      rollout: 45,
      stickiness: 'userId',
    });
  });

  it('what the percentage cannot tell (constraints, other strategies or stickiness) is listed, never hidden', () => {
    const state = summarizeUnleashFlag('f', true, [
      rollout(30, 'default', { constraints: [{ contextName: 'teamId', operator: 'IN', values: ['T1'] }] }),
      rollout(10, 'sessionId'),
      { name: 'userWithId', parameters: { userIds: 'U1' } },
    ]);
    expect(state.rollout).toBe(0);
    expect(state.otherStrategies).toEqual([
      'flexibleRollout (with constraints or other stickiness)',
      'flexibleRollout (with constraints or other stickiness)',
      'userWithId',
    ]);
  });

  it('disabled strategies do not count', () => {
    expect(summarizeUnleashFlag('f', true, [{ ...rollout(100), disabled: true }, rollout(5)])).toMatchObject({ rollout: 5 });
  });
});

describe('UNLEASH_URL', () => {
  it.each([
    ['http://localhost:4242', 'http://localhost:4242/api/'],
    ['http://localhost:4242/', 'http://localhost:4242/api/'],
    ['http://localhost:4242/api', 'http://localhost:4242/api/'],
    ['https://flags.example.org/unleash/api/', 'https://flags.example.org/unleash/api/'],
  ])('%s is the server or its API: both give the API root %s', (url, api) => {
    expect(unleashApiUrl(url)).toBe(api);
  });
});

describe('the fake resolver for other modules unit tests', () => {
  it('follows set() at once, with the same rollout semantics, and counts evaluations', () => {
    const flags = createFakeFlagResolver({ 'weather-remote': false });
    const changes: string[][] = [];
    flags.on('changed', (all) => changes.push(all.map((f) => `${f.name}:${f.enabled}:${f.rollout}`)));
    expect(flags.isEnabled('weather-remote', { userId: 'U1' })).toBe(false);
    flags.set('weather-remote', { rollout: 0 });
    expect(flags.isEnabled('weather-remote', { userId: 'U1' })).toBe(false);
    flags.set('weather-remote', true);
    expect(flags.isEnabled('weather-remote', { userId: 'U1' })).toBe(true);
    expect(flags.evaluations('weather-remote')).toBe(3);
    expect(changes).toEqual([['weather-remote:true:0'], ['weather-remote:true:100']]);
  });
});
