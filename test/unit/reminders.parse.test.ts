import { MAX_REMINDER_MINUTES } from '../../src/modules/reminders/reminders.types';
import { parseRemind, parseReminders } from '../../src/modules/reminders/reminders.parse';
import { nextLocalTime, parseLocalTime, formatLocalDateTime, zoneOrUtc } from '../../src/kernel';

const OUT_OF_RANGE = 'I can remind you in 1 minute to 30 days.';

describe('parseRemind', () => {
  it.each([
    ['remind me to stretch in 5 minutes', 'stretch', 5],
    ['remind me to stretch in 1 minute', 'stretch', 1],
    ['remind me to call Bob in 1 hour', 'call Bob', 60],
    ['remind me to water the plants in 90 min', 'water the plants', 90],
    ['remind me to water the plants in 90min', 'water the plants', 90],
    ['remind me to eat in 2 h', 'eat', 120],
    ['remind me to pay rent in 3 days', 'pay rent', 3 * 1440],
    ['Remind ME TO Check In on Ada IN 10 Minutes', 'Check In on Ada', 10],
    ['remind me to log in in 5 minutes', 'log in', 5],
    ['  remind   me to  café ☕  in 5 minutes ', 'café ☕', 5],
  ])('when "%s", then it is "%s" in %i minutes', (text, what, minutes) => {
    expect(parseRemind(text)).toEqual({ kind: 'create', what, when: { inMinutes: minutes } });
  });

  it.each([
    ['remind me to stretch at 7:05', 'stretch', '7:05'],
    ['remind me to stretch at 07:05', 'stretch', '07:05'],
    ['remind me to look at the oven at 18:30', 'look at the oven', '18:30'],
    ['remind me to sleep at 0:00', 'sleep', '0:00'],
  ])('when "%s", then it is "%s" at %s local time', (text, what, atLocal) => {
    expect(parseRemind(text)).toEqual({ kind: 'create', what, when: { atLocal } });
  });

  it.each([
    ['remind me to stretch at 25:00', '“25:00” isn\'t a time of day'],
    ['remind me to stretch at 7:60', '“7:60” isn\'t a time of day'],
    ['remind me to stretch at 7', '“7” isn\'t a time of day'],
    ['remind me to stretch in 0 minutes', OUT_OF_RANGE],
    ['remind me to stretch in 31 days', OUT_OF_RANGE],
    [`remind me to stretch in ${MAX_REMINDER_MINUTES + 1} minutes`, OUT_OF_RANGE],
    ['remind me to in 5 minutes', 'What should I remind you about?'],
    ['remind me to at 7:05', 'What should I remind you about?'],
    ['remind me to', 'What should I remind you about?'],
    ['remind me to stretch', 'Say `remind me to <what> in <N> minutes`'],
    ['remind me to stretch in a while', 'Say `remind me to <what> in <N> minutes`'],
    ['remind me to stretch in -5 minutes', 'Say `remind me to <what> in <N> minutes`'],
    ['remind', 'Say `remind me to <what> in <N> minutes`'],
    ['remind Bob to stretch in 5 minutes', 'Say `remind me to <what> in <N> minutes`'],
  ])('when "%s", then the reply says %j', (text, reply) => {
    const parsed = parseRemind(text);
    expect(parsed?.kind).toBe('reply');
    expect(parsed?.kind === 'reply' && parsed.text).toContain(reply);
  });

  it('when the maximum of 30 days is asked for, then it is accepted', () => {
    expect(parseRemind('remind me to renew in 30 days')).toEqual({ kind: 'create', what: 'renew', when: { inMinutes: MAX_REMINDER_MINUTES } });
  });

  it.each(['reminders', 'reminder me', 'weather', ''])('when "%s", then it is not for this command', (text) => {
    expect(parseRemind(text)).toBeNull();
  });
});

describe('parseReminders', () => {
  it.each([
    ['reminders', { kind: 'list' }],
    ['Reminders LIST', { kind: 'list' }],
    ['reminders cancel 12', { kind: 'cancel', id: '12' }],
    ['reminders cancel #12', { kind: 'cancel', id: '#12' }],
    ['reminders cancel abc', { kind: 'cancel', id: 'abc' }],
  ])('when "%s", then %j', (text, expected) => {
    expect(parseReminders(text)).toEqual(expected);
  });

  it.each(['reminders cancel', 'reminders cancel 1 2', 'reminders delete 3'])('when "%s", then the usage', (text) => {
    expect(parseReminders(text)).toEqual({ kind: 'reply', text: expect.stringContaining('reminders cancel <id>') });
  });

  it('when the text is another command, then it does not match', () => {
    expect(parseReminders('remind me to x in 5 minutes')).toBeNull();
  });
});

describe('local times', () => {
  it.each([
    ['7:05', { hour: 7, minute: 5 }],
    ['07:05', { hour: 7, minute: 5 }],
    ['23:59', { hour: 23, minute: 59 }],
    ['25:00', null],
    ['24:00', null],
    ['7:5', null],
    ['7', null],
    ['ab:cd', null],
  ])('parseLocalTime("%s") is %j', (text, expected) => {
    expect(parseLocalTime(text)).toEqual(expected);
  });

  it('when the time is still ahead today in the zone, then it is today', () => {
    const from = new Date('2026-11-20T10:00:00Z'); // 11:00 in Paris
    expect(nextLocalTime({ hour: 18, minute: 30 }, 'Europe/Paris', from).toISOString()).toBe('2026-11-20T17:30:00.000Z');
  });

  it('when the time has passed today in the zone, then it is tomorrow', () => {
    const from = new Date('2026-11-20T20:00:00Z'); // 21:00 in Paris
    expect(nextLocalTime({ hour: 7, minute: 5 }, 'Europe/Paris', from).toISOString()).toBe('2026-11-21T06:05:00.000Z');
  });

  it('when it is exactly that time now, then it is tomorrow', () => {
    const from = new Date('2026-11-20T06:05:00Z');
    expect(nextLocalTime({ hour: 7, minute: 5 }, 'Europe/Paris', from).toISOString()).toBe('2026-11-21T06:05:00.000Z');
  });

  it('when tomorrow is after the autumn DST change, then the wall time is kept, not 24 hours', () => {
    const from = new Date('2026-10-24T20:00:00Z'); // Saturday evening, summer time
    expect(nextLocalTime({ hour: 9, minute: 0 }, 'Europe/Paris', from).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('when the time is skipped by the spring DST change, then it moves forward by the gap', () => {
    const from = new Date('2026-03-28T12:00:00Z');
    expect(nextLocalTime({ hour: 2, minute: 30 }, 'Europe/Paris', from).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('when the zone is unknown, then UTC is used', () => {
    expect(zoneOrUtc('Mars/Olympus')).toBe('UTC');
    expect(zoneOrUtc(undefined)).toBe('UTC');
    expect(nextLocalTime({ hour: 7, minute: 0 }, 'Mars/Olympus', new Date('2026-11-20T05:00:00Z')).toISOString()).toBe('2026-11-20T07:00:00.000Z');
  });

  it('formats an instant as the member reads it', () => {
    expect(formatLocalDateTime(new Date('2026-11-21T06:30:00Z'), 'Europe/Paris')).toBe('Sat 21 Nov 07:30');
  });
});
