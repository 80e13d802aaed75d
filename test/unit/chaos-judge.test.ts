import { planMessages, type PlannedMessage } from '../../scripts/chaos/plan';
import { judge, percentile, type Reply } from '../../scripts/chaos/run';
import type { Delivery } from '../../scripts/chaos/slack-sender';

/** The chaos run's verdict: what it counts as answered once and correctly, and what not. */

const planned = planMessages({ messages: 20, reminders: 1, sendMs: 1000, runId: 'T' });
const acknowledged: Delivery = { firstSentAt: 0, attempts: [{ target: 'web', outcome: 'ok' }], acknowledged: true };

function byText(text: string): PlannedMessage {
  return planned.find((m) => m.event.text === text)!;
}

function rightAnswers(): Map<string, Reply[]> {
  const replies = new Map<string, Reply[]>();
  for (const m of planned) {
    const text =
      m.event.text === 'weather in Paris'
        ? '*Paris, France*: overcast, 9.4°C (feels like 6.8°C), humidity 81%, wind 14 km/h'
        : m.event.text === 'help'
          ? 'Commands:\n• `weather in <place>`\n• `remind me to <what> in <N> minutes`'
          : m.event.text === 'config get units'
            ? '`units` is not set.'
            : m.event.text === 'location'
              ? "You haven't saved a location yet. Say `location set &lt;place&gt;`, e.g. `location set Paris`."
              : m.event.text.startsWith('remind me to ')
                ? `OK, I'll remind you to “chaos-T-0” on Thursday at 07:01 (America/Los_Angeles).`
                : m.event.text.startsWith('xyzzy')
                  ? "Sorry, I don't understand that. Say `help` to see what I can do."
                  : undefined;
    if (text === undefined) continue;
    replies.set(m.event.channel, [{ text, at: 1 }]);
    if (m.reminder) replies.get(m.event.channel)!.push({ text: `:alarm_clock: Reminder for <@${m.event.userId}>: chaos-T-0`, at: 2 });
  }
  return replies;
}

const deliveries = () => new Map(planned.map((m) => [m.event.channel, acknowledged]));
const only = (places: string[]) => planned.filter((m) => !m.event.text.startsWith('weather in ') || places.includes(m.event.text));

describe('the chaos run verdict', () => {
  const judged = only(['weather in Paris']);

  it('when every message has its one right answer and the reminder came once, then nothing is wrong', () => {
    expect(judge(judged, rightAnswers(), deliveries())).toEqual([]);
  });

  it('when a message is answered twice, then that is a problem', () => {
    const replies = rightAnswers();
    const help = byText('help');
    replies.get(help.event.channel)!.push(replies.get(help.event.channel)![0]!);
    expect(judge(judged, replies, deliveries())).toEqual([expect.stringContaining('"help" (D0CM00010): answered 2 times')]);
  });

  it('when an answer is wrong or missing, or the reminder is doubled, then each is a problem', () => {
    const replies = rightAnswers();
    replies.set(byText('config get units').event.channel, [{ text: 'Sorry, something went wrong on my side. Please try again in a moment.', at: 1 }]);
    replies.delete(byText('location').event.channel);
    const reminder = planned.find((m) => m.reminder)!;
    replies.get(reminder.event.channel)!.push(replies.get(reminder.event.channel)![1]!);
    expect(judge(judged, replies, deliveries())).toEqual([
      expect.stringContaining('remind me to chaos-T-0 in 1 minute" (D0CR00000): reminder delivered 2 times'),
      expect.stringContaining('"config get units" (D0CM00013): wrong answer'),
      expect.stringContaining('"location" (D0CM00016): answered 0 times'),
    ]);
  });

  it('when Slack gave up on a delivery, then that is a problem even if it was answered', () => {
    const given = deliveries();
    given.set(byText('help').event.channel, { firstSentAt: 0, attempts: Array(4).fill({ target: 'web', outcome: 'http_error' }), acknowledged: false });
    expect(judge(judged, rightAnswers(), given)).toEqual([expect.stringContaining('"help" (D0CM00010): Slack gave up after 4 tries')]);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
  });
});
