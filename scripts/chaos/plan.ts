import { BUILT_IN_PLACES } from '../stand-ins/open-meteo.stand-in';
import type { ChatEvent } from './slack-sender';

/** What the chaos run says to Jeeves, and how each answer is known to be right. */

export interface PlannedMessage {
  event: ChatEvent;
  /** When to send it, from the start of the sending. */
  sendAtMs: number;
  /** The one reply it must get (a reminder request: its confirmation). */
  reply: (text: string) => boolean;
  /** A reminder request: the reminder it must later deliver, once. */
  reminder?: (text: string) => boolean;
}

export const TEAM_ID = 'T0CHAOS01';
const MEMBERS = 200;

const NOT_UNDERSTOOD = "Sorry, I don't understand that. Say `help` to see what I can do.";
const NO_LOCATION = "You haven't saved a location yet. Say `location set &lt;place&gt;`, e.g. `location set Paris`.";

/** Every place the Open-Meteo stand-in knows, with what its weather reply must say. */
const PLACES = BUILT_IN_PLACES.map((place) => ({
  name: place.name,
  heading: `*${place.name}, ${place.country}*: `,
  temperature: `${place.weather.temperature_2m.toFixed(1)}°C`,
}));

function chat(i: number): Pick<PlannedMessage, 'reply'> & { text: string } {
  const slot = i % 20;
  if (slot < 10) {
    const place = PLACES[i % PLACES.length]!;
    return { text: `weather in ${place.name}`, reply: (t) => t.startsWith(place.heading) && t.includes(place.temperature) };
  }
  if (slot < 13) return { text: 'help', reply: (t) => t.includes('weather') && t.includes('remind me to') };
  if (slot < 16) return { text: 'config get units', reply: (t) => t === '`units` is not set.' };
  if (slot < 18) return { text: 'location', reply: (t) => t === NO_LOCATION };
  return { text: `xyzzy ${i}`, reply: (t) => t === NOT_UNDERSTOOD };
}

/** A channel per message, so each reply is matched to its message; members repeat, so a rollout splits them. */
export function planMessages({ messages, reminders, sendMs, runId }: { messages: number; reminders: number; sendMs: number; runId: string }): PlannedMessage[] {
  const planned: PlannedMessage[] = [];
  const member = (i: number) => `U0C${String(i % MEMBERS).padStart(4, '0')}`;
  for (let i = 0; i < messages; i += 1) {
    const { text, reply } = chat(i);
    planned.push({
      event: { eventId: `Ev${runId}M${i}`, teamId: TEAM_ID, userId: member(i), channel: `D0CM${String(i).padStart(5, '0')}`, text },
      sendAtMs: (i * sendMs) / messages,
      reply,
    });
  }
  // Reminders in the first 40% of the sending, each due a minute later: all fall due during the run.
  for (let j = 0; j < reminders; j += 1) {
    const what = `chaos-${runId}-${j}`;
    planned.push({
      event: { eventId: `Ev${runId}R${j}`, teamId: TEAM_ID, userId: member(j * 7), channel: `D0CR${String(j).padStart(5, '0')}`, text: `remind me to ${what} in 1 minute` },
      sendAtMs: (j * sendMs * 0.4) / Math.max(reminders, 1),
      reply: (t) => t.startsWith(`OK, I'll remind you to “${what}”`),
      reminder: (t) => t === `:alarm_clock: Reminder for <@${member(j * 7)}>: ${what}`,
    });
  }
  return planned.sort((a, b) => a.sendAtMs - b.sendAtMs);
}
