import { USER_SETTINGS } from '../../src/modules/users';
import { findSetting } from '../../src/modules/users/users.settings';
import { parseSetting } from '../../src/modules/users/users.settings';

function failure(act: () => unknown): { code?: string; message?: string; details?: unknown } {
  try {
    act();
  } catch (err) {
    return err as { code?: string; message?: string; details?: unknown };
  }
  throw new Error('expected it to throw');
}

describe('user settings registry', () => {
  it('lists units, timezone and name, each with a one-line description', () => {
    expect(USER_SETTINGS.map((s) => s.key)).toEqual(['units', 'timezone', 'name']);
    for (const setting of USER_SETTINGS) expect(setting.description).toMatch(/^[^\n]{5,120}$/);
  });

  it('has only lower-case keys, since lookups lower-case what they are given', () => {
    for (const { key } of USER_SETTINGS) expect(findSetting(key.toUpperCase())?.key).toBe(key);
  });

  it.each([
    ['units', 'metric', 'metric'],
    ['units', ' Imperial ', 'imperial'],
    ['timezone', 'Europe/Paris', 'Europe/Paris'],
    ['timezone', 'europe/paris', 'Europe/Paris'],
    ['timezone', 'utc', 'UTC'],
    ['timezone', 'Asia/Kolkata', 'Asia/Kolkata'],
    ['timezone', 'America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['name', '  Bertie Wooster ', 'Bertie Wooster'],
    ['name', 'ü'.repeat(50), 'ü'.repeat(50)],
    ['name', '🎩'.repeat(50), '🎩'.repeat(50)],
  ])('accepts %s = %j, stored as %j', (key, value, stored) => {
    expect(parseSetting(key, value)).toEqual({ key, value: stored });
  });

  it.each([
    ['units', 'kelvin'],
    ['units', ''],
    ['timezone', 'Mars/Olympus'],
    ['timezone', '+01:00'],
    ['timezone', ''],
    ['timezone', 'Europe/Paris/Left_Bank'],
    ['name', ''],
    ['name', '   '],
    ['name', 'x'.repeat(51)],
    ['name', 'Bertie\nWooster'],
  ])('refuses %s = %j with USERS.INVALID_SETTING saying what is allowed', (key, value) => {
    const error = failure(() => parseSetting(key, value));
    expect(error).toMatchObject({ code: 'USERS.INVALID_SETTING', details: { key, allowed: findSetting(key)!.allowed } });
    expect(error.message).toContain(findSetting(key)!.allowed);
  });

  it('refuses an unknown key with USERS.UNKNOWN_SETTING listing the known ones', () => {
    const error = failure(() => parseSetting('colour', 'blue'));
    expect(error).toMatchObject({ code: 'USERS.UNKNOWN_SETTING', details: { known: ['units', 'timezone', 'name'] } });
    expect(error.message).toBe('There is no setting called "colour". Known settings: units, timezone, name.');
  });

  it('shortens an absurdly long unknown key in the message', () => {
    expect(failure(() => parseSetting('k'.repeat(5000), 'v')).message!.length).toBeLessThan(200);
  });
});
