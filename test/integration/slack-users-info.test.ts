import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createSlackUserTimezone } from '../../src/modules/slack';
import { closedPort, sleep } from '../support/queue-helpers';

/** Slack's users.info as the time zone fallback of reminders and alerts, against the local Slack stand-in. */

describe('Slack users.info time zone', () => {
  let standIn: SlackApiStandIn;
  const member = { teamId: 'T1', userId: 'U1' };

  beforeEach(async () => {
    standIn = await startSlackApiStandIn();
  });
  afterEach(() => standIn.close());

  const lookup = (options: { ttlMs?: number; token?: string | undefined } = {}) =>
    createSlackUserTimezone({
      apiUrl: standIn.url,
      tokens: async () => ('token' in options ? options.token : standIn.token),
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    });

  it("when Slack knows the member's tz, then it is returned", async () => {
    standIn.setUserTimezone('U1', 'Europe/Paris');

    await expect(lookup()(member)).resolves.toBe('Europe/Paris');
    expect(standIn.usersInfoCalls()).toBe(1);
  });

  it('when the same member is asked about again within the hour, then Slack is called once; another member is asked separately', async () => {
    standIn.setUserTimezone('U1', 'Europe/Paris');
    standIn.setUserTimezone('U2', 'Asia/Tokyo');
    const timezone = lookup();

    expect(await timezone(member)).toBe('Europe/Paris');
    standIn.setUserTimezone('U1', 'America/New_York');
    expect(await timezone(member)).toBe('Europe/Paris');
    expect(await timezone({ teamId: 'T1', userId: 'U2' })).toBe('Asia/Tokyo');
    expect(standIn.usersInfoCalls()).toBe(2);
  });

  it('when the cached answer has expired, then Slack is asked again', async () => {
    standIn.setUserTimezone('U1', 'Europe/Paris');
    const timezone = lookup({ ttlMs: 50 });
    expect(await timezone(member)).toBe('Europe/Paris');
    standIn.setUserTimezone('U1', 'America/New_York');

    await sleep(120);

    expect(await timezone(member)).toBe('America/New_York');
    expect(standIn.usersInfoCalls()).toBe(2);
  });

  it('when the workspace has no bot token, then the answer is undefined and Slack is not called', async () => {
    await expect(lookup({ token: undefined })(member)).resolves.toBeUndefined();
    expect(standIn.usersInfoCalls()).toBe(0);
  });

  it('when Slack answers ok:false (user_not_found, invalid_auth), then the answer is undefined', async () => {
    standIn.setUserTimezone('U404', null);

    await expect(lookup()({ teamId: 'T1', userId: 'U404' })).resolves.toBeUndefined();
    await expect(lookup({ token: 'xoxb-wrong' })(member)).resolves.toBeUndefined();
    expect(standIn.usersInfoCalls()).toBe(2);
  });

  it("when Slack refuses the token this process knew and the workspace has a new one, then users.info is asked once more with it", async () => {
    standIn.setUserTimezone('U1', 'Europe/Paris');
    const asked: Array<string | undefined> = [];
    const timezone = createSlackUserTimezone({
      apiUrl: standIn.url,
      tokens: async (_teamId, refused) => {
        asked.push(refused);
        return refused === undefined ? 'xoxb-from-before-the-reinstall' : standIn.token;
      },
    });

    await expect(timezone(member)).resolves.toBe('Europe/Paris');
    expect(asked).toEqual([undefined, 'xoxb-from-before-the-reinstall']);
    expect(standIn.usersInfoCalls()).toBe(2);
  });

  it('when Slack refuses the token and the workspace has no other, then the answer is undefined after one call, and is not remembered', async () => {
    standIn.setUserTimezone('U1', 'Europe/Paris');
    let token = 'xoxb-revoked';
    const timezone = createSlackUserTimezone({ apiUrl: standIn.url, tokens: async () => token });

    await expect(timezone(member)).resolves.toBeUndefined();
    expect(standIn.usersInfoCalls()).toBe(1);
    token = standIn.token;
    await expect(timezone(member)).resolves.toBe('Europe/Paris');
  });

  it('when the token store fails while asked for the current token, then the lookup rejects with its error and remembers nothing', async () => {
    standIn.setUserTimezone('U1', 'Europe/Paris');
    let storeUp = false;
    const timezone = createSlackUserTimezone({
      apiUrl: standIn.url,
      tokens: async (_teamId, refused) => {
        if (refused === undefined) return 'xoxb-from-before-the-reinstall';
        if (!storeUp) throw new Error('database unreachable');
        return standIn.token;
      },
    });

    await expect(timezone(member)).rejects.toThrow('database unreachable');
    storeUp = true;
    await expect(timezone(member)).resolves.toBe('Europe/Paris');
  });

  it('when Slack answers an error that is not about the token (user_not_found), then no other token is asked for', async () => {
    standIn.setUserTimezone('U404', null);
    const asked: Array<string | undefined> = [];
    const timezone = createSlackUserTimezone({ apiUrl: standIn.url, tokens: async (_teamId, refused) => (asked.push(refused), standIn.token) });

    await expect(timezone({ teamId: 'T1', userId: 'U404' })).resolves.toBeUndefined();
    expect(asked).toEqual([undefined]);
  });

  it('when Slack cannot be reached, then the lookup rejects (the caller logs it and uses UTC)', async () => {
    const timezone = createSlackUserTimezone({ apiUrl: `http://127.0.0.1:${await closedPort()}/api/`, tokens: async () => 'xoxb-any' });

    await expect(timezone(member)).rejects.toThrow('Slack users.info: unreachable');
  });
});
