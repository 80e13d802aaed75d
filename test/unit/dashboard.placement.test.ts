import { loadConfig } from '../../src/config';
import type { Infrastructure } from '../../src/infrastructure/infrastructure';
import { placementOf } from '../../src/modules/dashboard';
import { placementChangeSchema, writePlacement } from '../../src/modules/dashboard/dashboard.placement';
import { dashboardFlagAdmin } from '../../src/monolith/wire-admin-pages';
import type { FlagState } from '../../src/platform/flags';

const flag = (name: string, enabled: boolean, rollout: number): FlagState => ({ name, enabled, rollout, stickiness: 'default' });

describe('placementOf', () => {
  it('when the remote flag is on at a share, then remote at that share, whatever the shadow flag says', () => {
    expect(placementOf([flag('weather-remote', true, 40), flag('weather-shadow', true, 100)], 'weather')).toEqual({ placement: 'remote', rollout: 40 });
  });

  it('when only the shadow flag takes calls, then shadow', () => {
    expect(placementOf([flag('weather-remote', true, 0), flag('weather-shadow', true, 25)], 'weather')).toEqual({ placement: 'shadow', rollout: 25 });
  });

  it('when a flag is switched off, then its share counts for nothing', () => {
    expect(placementOf([flag('weather-remote', false, 100)], 'weather')).toEqual({ placement: 'local', rollout: 0 });
  });

  it("when only another module's flags are set, then local", () => {
    expect(placementOf([flag('users-remote', true, 100)], 'weather')).toEqual({ placement: 'local', rollout: 0 });
  });
});

describe('writePlacement', () => {
  const recorder = () => {
    const writes: Array<[string, number]> = [];
    const setRollout = (name: string, rollout: number): Promise<FlagState> => {
      writes.push([name, rollout]);
      return Promise.resolve(flag(name, true, rollout));
    };
    return { writes, admin: { setRollout } };
  };

  it('remote: shadow lowered to 0 first, then remote at the rollout', async () => {
    const { writes, admin } = recorder();
    await writePlacement(admin, 'weather', { placement: 'remote', rollout: 60 });
    expect(writes).toEqual([['weather-shadow', 0], ['weather-remote', 60]]);
  });

  it('shadow: remote lowered to 0 first, then shadow at the rollout', async () => {
    const { writes, admin } = recorder();
    await writePlacement(admin, 'users', { placement: 'shadow', rollout: 10 });
    expect(writes).toEqual([['users-remote', 0], ['users-shadow', 10]]);
  });

  it('local: both at 0', async () => {
    const { writes, admin } = recorder();
    await writePlacement(admin, 'tokens', { placement: 'local', rollout: 0 });
    expect(writes).toEqual([['tokens-remote', 0], ['tokens-shadow', 0]]);
  });
});

describe('placementChangeSchema', () => {
  it.each([
    [{ placement: 'remote', rollout: '100' }, { placement: 'remote', rollout: 100 }],
    [{ placement: 'shadow', rollout: 0 }, { placement: 'shadow', rollout: 0 }],
    [{ placement: 'local', rollout: '' }, { placement: 'local', rollout: 0 }],
    [{ placement: 'local', rollout: '70' }, { placement: 'local', rollout: 0 }],
  ])('accepts %j as %j', (input, want) => {
    expect(placementChangeSchema.parse(input)).toEqual(want);
  });

  it.each([
    [{ placement: 'remote', rollout: '150' }, 'Rollout must be a whole number from 0 to 100.'],
    [{ placement: 'remote', rollout: '-1' }, 'Rollout must be a whole number from 0 to 100.'],
    [{ placement: 'remote', rollout: '2.5' }, 'Rollout must be a whole number from 0 to 100.'],
    [{ placement: 'remote', rollout: 'lots' }, 'Rollout must be a whole number from 0 to 100.'],
    [{ placement: 'remote' }, 'Rollout must be a whole number from 0 to 100.'],
    [{ placement: 'elsewhere', rollout: '5' }, 'Placement must be local, shadow or remote.'],
    [{}, 'Placement must be local, shadow or remote.'],
  ])('refuses %j: %s', (input, message) => {
    const parsed = placementChangeSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(message);
  });
});

describe('dashboardFlagAdmin', () => {
  const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });
  const resolver = { flags: { list: () => [flag('weather-remote', true, 100)] } } as unknown as Pick<Infrastructure, 'flags'>;

  it('with Unleash but no admin token, then reads what the resolver knows and refuses to write with 503', async () => {
    const admin = dashboardFlagAdmin(config({ UNLEASH_URL: 'http://127.0.0.1:9/api', UNLEASH_API_TOKEN: 'client-token' }), resolver);
    expect(await admin.list()).toEqual([flag('weather-remote', true, 100)]);
    await expect(admin.setRollout('weather-remote', 0)).rejects.toMatchObject({ code: 'DASHBOARD.FLAGS_READ_ONLY', status: 503 });
  });

  it('without Unleash, then the flags file', () => {
    expect((dashboardFlagAdmin(config({ FLAGS_FILE: '/tmp/some-flags.json' }), resolver) as { target?: string }).target).toBe('file /tmp/some-flags.json');
  });
});
