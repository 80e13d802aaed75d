import { dailyCronPattern, nextAlertAt } from '../../src/modules/alerts/alerts.time';
import { parseAlerts } from '../../src/modules/alerts/alerts.parse';

describe('nextAlertAt', () => {
  it('when an alert is at 07:30 Europe/Paris before the October DST change, then it is 05:30Z', () => {
    expect(nextAlertAt('07:30', 'Europe/Paris', new Date('2026-10-24T00:00:00Z')).toISOString()).toBe('2026-10-24T05:30:00.000Z');
  });

  it('when the next 07:30 Europe/Paris is the Sunday of the change, then it is 06:30Z', () => {
    expect(nextAlertAt('07:30', 'Europe/Paris', new Date('2026-10-24T06:00:00Z')).toISOString()).toBe('2026-10-25T06:30:00.000Z');
  });

  it('when an alert is at 07:30 Europe/Paris after the change, then it is 06:30Z', () => {
    expect(nextAlertAt('07:30', 'Europe/Paris', new Date('2026-10-26T00:00:00Z')).toISOString()).toBe('2026-10-26T06:30:00.000Z');
  });

  it('when the zone is in the southern hemisphere, then its own DST applies', () => {
    // Sydney leaves summer time on 2026-04-05: 07:30 is 20:30Z the day before, then 21:30Z.
    expect(nextAlertAt('07:30', 'Australia/Sydney', new Date('2026-04-03T12:00:00Z')).toISOString()).toBe('2026-04-03T20:30:00.000Z');
    expect(nextAlertAt('07:30', 'Australia/Sydney', new Date('2026-04-05T12:00:00Z')).toISOString()).toBe('2026-04-05T21:30:00.000Z');
  });

  it('when the time is not HH:MM, then ALERTS.INVALID_TIME', () => {
    expect(() => nextAlertAt('25:00', 'UTC', new Date())).toThrow(expect.objectContaining({ code: 'ALERTS.INVALID_TIME' }));
  });
});

describe('dailyCronPattern', () => {
  it.each([
    ['07:30', '30 7 * * *'],
    ['7:05', '5 7 * * *'],
    ['00:00', '0 0 * * *'],
    ['23:59', '59 23 * * *'],
  ])('%s → "%s"', (time, pattern) => {
    expect(dailyCronPattern(time)).toBe(pattern);
  });
});

describe('parseAlerts', () => {
  it.each([
    ['alerts', { kind: 'status' }],
    ['alerts on', { kind: 'on' }],
    ['ALERTS ON AT 7:05', { kind: 'on', time: '7:05' }],
    ['alerts on at 18:30', { kind: 'on', time: '18:30' }],
    ['alerts on 06:45', { kind: 'on', time: '06:45' }],
    ['alert off', { kind: 'off' }],
    ['alerts Off', { kind: 'off' }],
  ])('when "%s", then %j', (text, expected) => {
    expect(parseAlerts(text)).toEqual(expected);
  });

  it.each([
    ['alerts on at 25:00', '“25:00” isn\'t a time of day'],
    ['alerts on at 7', '“7” isn\'t a time of day'],
    ['alerts on at dawn', 'Say `alerts on`'],
    ['alerts sometimes', 'Say `alerts on`'],
  ])('when "%s", then the reply says %j', (text, reply) => {
    expect(parseAlerts(text)).toEqual({ kind: 'reply', text: expect.stringContaining(reply) });
  });

  it('when the text is another command, then it does not match', () => {
    expect(parseAlerts('alertness')).toBeNull();
  });
});
