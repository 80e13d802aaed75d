import type { DeadLetter, DeadLetters } from './slack.dead-letters';
import type { OutgoingSlackMessage } from './slack.types';

/**
 * Sends a dead letter again and removes it. The message gets a key of its own: the first key
 * is spent (the queue and the dev outbox keep each key once). Taken before it is sent, so two
 * retries at once send it once; put back when it cannot be queued.
 */
export async function retryDeadLetter(
  { deadLetters, send }: { deadLetters: Pick<DeadLetters, 'take' | 'record'>; send: (message: OutgoingSlackMessage) => Promise<void> },
  id: string,
): Promise<{ letter: DeadLetter; key: string } | undefined> {
  const letter = await deadLetters.take(id);
  if (!letter) return undefined;
  const key = `${letter.key}:retry:${letter.id}`;
  const original = { key: letter.key, teamId: letter.teamId, channel: letter.channel, text: letter.text };
  try {
    await send({ ...original, key });
  } catch (err) {
    await deadLetters.record({ message: original, code: letter.code, reason: letter.reason, attemptsMade: letter.attempts });
    throw err;
  }
  return { letter, key };
}
