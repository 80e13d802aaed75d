import FlexibleRolloutStrategy from 'unleash-client/lib/strategy/flexible-rollout-strategy';
import { normalizedStrategyValue } from 'unleash-client/lib/strategy/util';
import { inRollout, normalizedValue, type FlagContext, type Stickiness } from '../../src/platform/flags';

/** Ids shaped like Slack's, plus odd ones (numbers, dashes, non-ASCII) so the hash input varies. */
function ids(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push(i % 3 === 0 ? `U${(i * 7919).toString(36).toUpperCase().padStart(9, '0')}` : i % 3 === 1 ? String(i) : `t-${i}-é`);
  }
  return out;
}

/** The context Jeeves hands unleash-client (see unleash-flags.ts): the team doubles as sessionId. */
function unleashContext(ctx: FlagContext) {
  return { userId: ctx.userId, sessionId: ctx.teamId, properties: ctx.teamId ? { teamId: ctx.teamId } : undefined };
}

describe('rollout: the file backend splits callers exactly as Unleash flexibleRollout does', () => {
  it('normalizedValue equals unleash-client normalizedStrategyValue for 10,000 ids and several flags', () => {
    const mismatches: string[] = [];
    for (const flag of ['weather-remote', 'users-remote', 'x']) {
      for (const id of ids(10_000)) {
        if (normalizedValue(id, flag) !== normalizedStrategyValue(id, flag)) mismatches.push(`${flag}:${id}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('normalized values cover 1..100 and nothing else', () => {
    const seen = new Set(ids(10_000).map((id) => normalizedValue(id, 'weather-remote')));
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(100);
    expect(seen.size).toBe(100);
  });

  it('inRollout agrees with unleash-client FlexibleRolloutStrategy for every stickiness, percentage and context with ids', () => {
    const strategy = new FlexibleRolloutStrategy();
    const contexts: FlagContext[] = ids(600).map((id, i) =>
      i % 3 === 0 ? { userId: id, teamId: `T${i % 17}` } : i % 3 === 1 ? { userId: id } : { teamId: `T${id}` },
    );
    const disagreements: string[] = [];
    for (const stickiness of ['default', 'userId', 'teamId'] as Stickiness[]) {
      for (const rollout of [0, 1, 10, 33, 50, 99, 100]) {
        for (const ctx of contexts) {
          const ours = inRollout('weather-remote', rollout, stickiness, ctx);
          const theirs = strategy.isEnabled(
            { rollout: String(rollout), stickiness, groupId: 'weather-remote' },
            unleashContext(ctx),
          );
          if (ours !== theirs) disagreements.push(`${stickiness} ${rollout}% ${JSON.stringify(ctx)}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('when the chosen stickiness id is missing, then no, even at 100% (as Unleash)', () => {
    expect(inRollout('f', 100, 'userId', { teamId: 'T1' })).toBe(false);
    expect(inRollout('f', 100, 'teamId', { userId: 'U1' })).toBe(false);
    expect(inRollout('f', 100, 'userId', { userId: '' })).toBe(false);
  });

  it('default stickiness falls back from the user to the team', () => {
    const byTeam = Array.from({ length: 200 }, (_, i) => inRollout('f', 50, 'default', { teamId: `T${i}` }));
    const byTeamAsUser = Array.from({ length: 200 }, (_, i) => normalizedValue(`T${i}`, 'f') <= 50);
    expect(byTeam).toEqual(byTeamAsUser);
  });

  it('default stickiness with no ids at all is random: about the percentage, not all or nothing', () => {
    const on = Array.from({ length: 4000 }, () => inRollout('f', 30, 'default', {})).filter(Boolean).length;
    expect(on / 4000).toBeGreaterThan(0.25);
    expect(on / 4000).toBeLessThan(0.35);
  });

  it('0% lets nobody in and 100% everybody', () => {
    const users = ids(1000).map((userId) => ({ userId }));
    expect(users.some((u) => inRollout('f', 0, 'userId', u))).toBe(false);
    expect(users.every((u) => inRollout('f', 100, 'userId', u))).toBe(true);
  });
});
