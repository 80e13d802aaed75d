import { filterEvent, type EventCallbackEnvelope } from '../../src/modules/slack/slack.event-filter';

/** What is queued from an event_callback, and what is acknowledged and dropped. */

const BOT = 'U0LAN0Z89';

function envelope(event: Record<string, unknown>, extra: Partial<EventCallbackEnvelope> = {}): EventCallbackEnvelope {
  return {
    type: 'event_callback',
    team_id: 'T061EG9R6',
    event_id: 'Ev0MDYHUEL',
    authorizations: [{ enterprise_id: null, team_id: 'T061EG9R6', user_id: BOT, is_bot: true }],
    event,
    ...extra,
  };
}

const im = { type: 'message', channel: 'D024BE91L', user: 'U2147483697', text: 'location set Lyon', ts: '1355517523.000005', channel_type: 'im' };
const mention = { type: 'app_mention', channel: 'C0LAN2Q65', user: 'U061F7AUR', text: `<@${BOT}> weather in Paris`, ts: '1515449522.000016' };

describe('filterEvent', () => {
  it('when a DM arrives, then its message is queued with the bot ids for mention stripping', () => {
    expect(filterEvent(envelope(im))).toEqual({
      job: { eventId: 'Ev0MDYHUEL', teamId: 'T061EG9R6', userId: 'U2147483697', channelId: 'D024BE91L', text: 'location set Lyon', botUserIds: [BOT] },
    });
  });

  it('when a mention is in a thread, then the thread is kept', () => {
    expect(filterEvent(envelope({ ...mention, thread_ts: '1515449000.000001' }))).toEqual({
      job: expect.objectContaining({ channelId: 'C0LAN2Q65', threadTs: '1515449000.000001', text: `<@${BOT}> weather in Paris` }),
    });
  });

  it('when the text is missing, then it is queued as empty text', () => {
    const { text: _text, ...noText } = im;
    expect(filterEvent(envelope(noText))).toEqual({ job: expect.objectContaining({ text: '' }) });
  });

  it.each([
    ['a bot message', { ...im, bot_id: 'B1', subtype: 'bot_message' }],
    ['a bot message without subtype', { ...im, bot_id: 'B1' }],
    ['an edit', { ...im, subtype: 'message_changed' }],
    ['a channel join', { ...im, subtype: 'channel_join' }],
    ['its own message', { ...im, user: BOT }],
    ['its own mention', { ...mention, user: BOT }],
    ['a channel message', { ...im, channel_type: 'channel' }],
    ['a reaction', { type: 'reaction_added', user: 'U1' }],
    ['app_uninstalled', { type: 'app_uninstalled' }],
    ['a message without a user', { ...im, user: undefined }],
  ])('when the event is %s, then it is ignored', (_what, event) => {
    expect(filterEvent(envelope(event))).toEqual({ ignored: expect.any(String) });
  });

  it('when the envelope has no event_id, then it is refused as malformed (400)', () => {
    expect(() => filterEvent(envelope(im, { event_id: undefined }))).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('when authorizations are absent, then messages are still handled', () => {
    expect(filterEvent(envelope(im, { authorizations: undefined }))).toEqual({ job: expect.objectContaining({ botUserIds: [] }) });
  });
});
