import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFlagsCli } from '../../scripts/flags';
import { createUnleashFlagResolver, inRollout, type FlagResolver, type FlagState } from '../../src/platform/flags';
import { createLogger } from '../../src/platform/logger';
import { describeWithUnleash, startUnleashServer, type RunningUnleash } from '../support/unleash-server';
import { startUnleashPollRecorder, type UnleashPoll, type UnleashPollRecorder } from '../support/unleash-poll-recorder';

/**
 * Jeeves against a real Unleash (unleash-server 7.4 from test/unleash): the flag is created and
 * flipped with the same code as `npm run flags`, and the unleash-backed resolver follows.
 */
const REFRESH_MS = 200;
/**
 * Our poll interval plus Unleash's own propagation: it serves client flags from a cache it
 * refreshes when its revision id moves (checked about every second).
 */
const FOLLOW_DEADLINE_MS = 5000;
/** How late a busy machine may fire the resolver's refresh timer (armed once an answer is processed). */
const TIMER_ALLOWANCE_MS = 100;

async function flags(argv: string[], env: Record<string, string>): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runFlagsCli({ argv, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code !== 0) throw new Error(`npm run flags -- ${argv.join(' ')} failed (${code}): ${err.join('\n')}`);
  return out.join('\n');
}

/** Waits until `check` holds. */
async function within(deadlineMs: number, what: string, check: () => boolean): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > deadlineMs) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const users = Array.from({ length: 1000 }, (_, i) => `U${(i * 7919).toString(36).toUpperCase()}`);
const teams = Array.from({ length: 300 }, (_, i) => `T${(i * 104729).toString(36).toUpperCase()}`);

describeWithUnleash('flags against a real Unleash server', () => {
  let server: RunningUnleash;
  let resolver: FlagResolver;
  // A second resolver polls through a recorder, which tells which of its refreshes brought a flip.
  let recorder: UnleashPollRecorder;
  let watched: FlagResolver;
  let env: Record<string, string>;
  let dataDir: string;

  const resolverOn = (url: string) =>
    createUnleashFlagResolver({
      url,
      apiToken: server.apiToken,
      refreshMs: REFRESH_MS,
      dataDir,
      logger: createLogger({ level: 'silent' }),
      requestTimeoutMs: 1000,
    });

  beforeAll(async () => {
    server = await startUnleashServer();
    recorder = await startUnleashPollRecorder(server.url);
    env = { UNLEASH_URL: server.url, UNLEASH_ADMIN_TOKEN: server.adminToken };
    dataDir = mkdtempSync(join(tmpdir(), 'jeeves-unleash-it-'));
    resolver = resolverOn(server.url);
    watched = resolverOn(recorder.url);
    await Promise.all([resolver.ready(), watched.ready()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([resolver?.close(), watched?.close()]);
    await recorder?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }, 30_000);

  const weather = (): FlagState | undefined => resolver.list().find((f) => f.name === 'weather-remote');
  const onFor = (userId: string) => resolver.isEnabled('weather-remote', { userId, teamId: 'T1' });
  const watchedOnFor = (userId: string) => watched.isEnabled('weather-remote', { userId, teamId: 'T1' });
  const weatherServed = (poll: UnleashPoll) => poll.features.find((f) => f.name === 'weather-remote')?.enabled;

  /**
   * Flips a flag with `npm run flags`, waits until the watched resolver answers as `seen` says, and
   * finds the first of its polls whose answer carried the flip (`carries`). Unleash starts serving a
   * change in its own time (its cache follows a revision id); the resolver's part is to use it from
   * the poll that brings it, and to poll every refresh interval.
   */
  async function followFlip(argv: string[], carries: (poll: UnleashPoll) => boolean, seen: () => boolean) {
    const from = recorder.polls.length;
    // Polls answered when the resolver first answered as `seen` says: its change comes with a poll's answer.
    let pollsWhenSeen: number | undefined;
    const stop = watched.on('changed', () => {
      if (pollsWhenSeen === undefined && seen()) pollsWhenSeen = recorder.polls.length;
    });
    let said: string;
    try {
      said = await flags(argv, env);
      await within(FOLLOW_DEADLINE_MS, `${argv.join(' ')} seen`, () => pollsWhenSeen !== undefined);
    } finally {
      stop();
    }
    const polls = recorder.polls;
    const bringing = polls.findIndex((poll, i) => i >= from && carries(poll));
    if (bringing < 1) throw new Error(`the flip was seen, but no poll after it carried it (${polls.length - from} polls)`);
    const last = polls[bringing - 1]!;
    return {
      said,
      /** 0 when the flip was seen on the poll that brought it. */
      pollsLate: pollsWhenSeen! - 1 - bringing,
      /** From the answer of the last poll without the flip to the poll that brought it: one refresh interval. */
      pollGapMs: polls[bringing]!.askedAt - last.answeredAt,
    };
  }

  it('the resolver is ready on a server with no flags yet', async () => {
    await expect(resolver.ping()).resolves.toBeUndefined();
    expect(resolver.list()).toEqual([]);
  });

  it('`flags off weather-remote` creates the flag through the admin API, and the resolver sees it, off', async () => {
    expect(await flags(['off', 'weather-remote'], env)).toBe('weather-remote: off (rollout 100% when on)');
    await within(FOLLOW_DEADLINE_MS, 'weather-remote known', () => weather() !== undefined);
    expect(weather()).toMatchObject({ enabled: false });
    expect(users.some(onFor)).toBe(false);
  });

  it('`flags on weather-remote` switches it on for everyone within the refresh interval of Unleash serving it', async () => {
    const followed = await followFlip(['on', 'weather-remote'], (poll) => weatherServed(poll) === true, () => users.every(watchedOnFor));

    expect(followed.said).toBe('weather-remote: on for everyone');
    expect(followed.pollsLate).toBe(0);
    expect(followed.pollGapMs).toBeLessThanOrEqual(REFRESH_MS + TIMER_ALLOWANCE_MS);
  });

  it('`flags rollout weather-remote 50` lets in about half the users, exactly those the file backend would pick', async () => {
    expect(await flags(['rollout', 'weather-remote', '50', '--stickiness', 'userId'], env)).toBe(
      'weather-remote: on for 50% (sticky per user)',
    );
    await within(FOLLOW_DEADLINE_MS, '50% rollout', () => weather()?.rollout === 50);
    const answers = users.map(onFor);
    expect(answers).toEqual(users.map((userId) => inRollout('weather-remote', 50, 'userId', { userId })));
    expect(users.map(onFor)).toEqual(answers);
    const share = answers.filter(Boolean).length / users.length;
    expect(share).toBeGreaterThan(0.44);
    expect(share).toBeLessThan(0.56);
  });

  it('`flags rollout weather-remote 30 --stickiness teamId` splits by Slack team', async () => {
    await flags(['rollout', 'weather-remote', '30', '--stickiness', 'teamId'], env);
    await within(FOLLOW_DEADLINE_MS, 'team rollout', () => weather()?.stickiness === 'teamId');
    const answers = teams.map((teamId) => resolver.isEnabled('weather-remote', { userId: `U-${teamId}`, teamId }));
    expect(answers).toEqual(teams.map((teamId) => inRollout('weather-remote', 30, 'teamId', { teamId })));
    expect(await flags(['list'], env)).toContain('weather-remote: on for 30% (sticky per team)');
  });

  it('`flags off weather-remote` switches it off within the refresh interval of Unleash serving it', async () => {
    const followed = await followFlip(['off', 'weather-remote'], (poll) => weatherServed(poll) === false, () => !users.some(watchedOnFor));

    expect(followed.pollsLate).toBe(0);
    expect(followed.pollGapMs).toBeLessThanOrEqual(REFRESH_MS + TIMER_ALLOWANCE_MS);
  });

  it('a wrong admin token gets a clear error and changes nothing', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runFlagsCli({
      argv: ['on', 'weather-remote'],
      env: { ...env, UNLEASH_ADMIN_TOKEN: '*:*.not-a-token' },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/Unleash refused UNLEASH_ADMIN_TOKEN \(HTTP 401/);
    expect(await flags(['list'], env)).toContain('weather-remote: off');
  });

  it('when the server is killed, the resolver keeps the last known state and stays ready; once back, flips work again', async () => {
    await flags(['rollout', 'weather-remote', '50', '--stickiness', 'userId'], env);
    await within(FOLLOW_DEADLINE_MS, '50% rollout', () => weather()?.enabled === true && weather()?.rollout === 50);
    const before = users.map(onFor);
    await server.kill();
    // Several refresh intervals, and long enough for unleash-client's retries to fail.
    await new Promise((r) => setTimeout(r, 3000));
    expect(users.map(onFor)).toEqual(before);
    expect(weather()).toMatchObject({ enabled: true, rollout: 50, stickiness: 'userId' });
    await expect(resolver.ping()).resolves.toBeUndefined();

    await server.restart();
    await flags(['off', 'weather-remote'], env);
    // unleash-client backs off while Unleash is down (up to 11 refresh intervals): allow for it.
    await within(FOLLOW_DEADLINE_MS + 11 * REFRESH_MS, 'weather-remote off after the restart', () => !users.some(onFor));
  }, 180_000);
});
