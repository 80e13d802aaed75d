import { createTimezoneLookup } from '../../src/modules/reminders';
import { createFakeUsersService } from '../../src/modules/users';
import { createLogger } from '../../src/platform/logger';

const logger = createLogger({ level: 'silent' });
const ada = { teamId: 'T0ADA', userId: 'U0ADA' };
const paris = { name: 'Paris', latitude: 48.85, longitude: 2.35, timezone: 'Europe/Paris' };

describe('createTimezoneLookup', () => {
  it("when the member saved a location, then it is that place's zone", async () => {
    const users = createFakeUsersService();
    await users.setLocation(ada, paris);
    const slack = jest.fn(async () => 'America/New_York');

    expect(await createTimezoneLookup({ users, slackTimezone: slack, logger })(ada)).toBe('Europe/Paris');
    expect(slack).not.toHaveBeenCalled();
  });

  it("when there is no saved location, then it is Slack's zone", async () => {
    const users = createFakeUsersService();
    await users.getOrCreate(ada);

    expect(await createTimezoneLookup({ users, slackTimezone: async () => 'America/New_York', logger })(ada)).toBe('America/New_York');
  });

  it('when the member is unknown and Slack has nothing, then undefined (the services use UTC)', async () => {
    expect(await createTimezoneLookup({ users: createFakeUsersService(), logger })(ada)).toBeUndefined();
  });

  it('when Slack fails, then undefined rather than a failed command', async () => {
    const lookup = createTimezoneLookup({ users: createFakeUsersService(), slackTimezone: async () => Promise.reject(new Error('429')), logger });

    expect(await lookup(ada)).toBeUndefined();
  });
});
