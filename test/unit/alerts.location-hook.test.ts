import { rescheduleAlertsOnLocationChange } from '../../src/modules/alerts';
import { createFakeUsersService } from '../../src/modules/users';
import { createLogger } from '../../src/platform/logger';

const logger = createLogger({ level: 'silent' });
const ada = { teamId: 'T0ADA', userId: 'U0ADA' };
const paris = { name: 'Paris', latitude: 48.85, longitude: 2.35, timezone: 'Europe/Paris' };

describe('rescheduleAlertsOnLocationChange', () => {
  it('when a location is saved, then the alert is rescheduled after the location is stored', async () => {
    const users = createFakeUsersService();
    const zoneSeen: (string | undefined)[] = [];
    const alerts = { onLocationChanged: jest.fn(async () => void zoneSeen.push((await users.get(ada)).location?.timezone)) };
    const wrapped = rescheduleAlertsOnLocationChange(users, alerts, logger);

    const profile = await wrapped.setLocation(ada, paris);

    expect(profile.location?.timezone).toBe('Europe/Paris');
    expect(alerts.onLocationChanged).toHaveBeenCalledWith(ada);
    expect(zoneSeen).toEqual(['Europe/Paris']);
  });

  it('when rescheduling fails, then the location is still saved and the call succeeds', async () => {
    const users = createFakeUsersService();
    const alerts = { onLocationChanged: jest.fn(async () => Promise.reject(new Error('redis down'))) };
    const wrapped = rescheduleAlertsOnLocationChange(users, alerts, logger);

    await expect(wrapped.setLocation(ada, paris)).resolves.toMatchObject({ location: paris });
    expect((await users.get(ada)).location).toEqual(paris);
  });

  it('when another method is called, then it is the same service underneath', async () => {
    const users = createFakeUsersService();
    const wrapped = rescheduleAlertsOnLocationChange(users, { onLocationChanged: jest.fn() }, logger);

    await wrapped.getOrCreate(ada, { displayName: 'Ada' });

    expect((await users.get(ada)).displayName).toBe('Ada');
  });
});
