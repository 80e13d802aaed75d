import { signSlackRequest } from '../../src/modules/slack';

/**
 * Slack's side of the Events API as the chaos run needs it: signed event_callback deliveries
 * spread round robin over the web processes a readiness probe finds ready (as a load balancer
 * does), and retried the way Slack retries: up to 3 times with growing delays, the same
 * event_id, `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`, when an answer is not a 200
 * within 3 seconds.
 */

export interface ChatEvent {
  eventId: string;
  teamId: string;
  userId: string;
  channel: string;
  text: string;
}

export interface Delivery {
  /** When Slack first sent it: the start of its event → reply time. */
  firstSentAt: number;
  attempts: Array<{ target: string; outcome: string }>;
  acknowledged: boolean;
}

export interface SlackSender {
  send(event: ChatEvent): Promise<Delivery>;
  /** Retries sent so far, by reason. */
  retries(): Record<string, number>;
  close(): void;
}

export interface SlackSenderOptions {
  signingSecret: string;
  targets: string[];
  /** Slack waits 3 s for an acknowledgement. */
  timeoutMs?: number;
  /** Slack retries at once, after a minute and after five; scaled down to fit a run. */
  retryDelaysMs?: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function bodyOf(event: ChatEvent): string {
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: 'unused',
    team_id: event.teamId,
    api_app_id: 'A0CHAOS01',
    type: 'event_callback',
    event_id: event.eventId,
    event_time: now,
    authorizations: [{ enterprise_id: null, team_id: event.teamId, user_id: 'U0CHAOSBOT', is_bot: true, is_enterprise_install: false }],
    event: { type: 'message', channel_type: 'im', channel: event.channel, user: event.userId, text: event.text, ts: `${now}.000100`, team: event.teamId },
  });
}

export function createSlackSender({ signingSecret, targets, timeoutMs = 3000, retryDelaysMs = [1000, 3000, 9000] }: SlackSenderOptions): SlackSender {
  const ready = new Set(targets);
  const retries: Record<string, number> = {};
  let next = 0;
  let closed = false;

  // The load balancer's readiness probe: a draining process answers 503 and gets no new deliveries.
  const probe = async () => {
    while (!closed) {
      await Promise.all(
        targets.map(async (target) => {
          const ok = await fetch(`${target}/readyz`, { signal: AbortSignal.timeout(500) })
            .then(async (res) => (await res.arrayBuffer(), res.status === 200))
            .catch(() => false);
          if (ok) ready.add(target);
          else ready.delete(target);
        }),
      );
      await sleep(250);
    }
  };
  void probe();

  const pick = (): string => {
    const candidates = targets.filter((t) => ready.has(t));
    const from = candidates.length > 0 ? candidates : targets;
    return from[next++ % from.length]!;
  };

  async function attempt(target: string, body: string, retryNum: number, reason: string | undefined): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...signSlackRequest(signingSecret, body) };
    if (retryNum > 0) {
      headers['x-slack-retry-num'] = String(retryNum);
      headers['x-slack-retry-reason'] = reason ?? 'http_error';
    }
    try {
      const res = await fetch(`${target}/slack/events`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      return res.status === 200 ? 'ok' : `http_error`;
    } catch (err) {
      const name = (err as { name?: string }).name;
      return name === 'TimeoutError' || name === 'AbortError' ? 'http_timeout' : 'connection_failed';
    }
  }

  return {
    async send(event) {
      // The body (and event_id) stays; each try is signed afresh, as Slack does.
      const body = bodyOf(event);
      const delivery: Delivery = { firstSentAt: Date.now(), attempts: [], acknowledged: false };
      let reason: string | undefined;
      for (let retryNum = 0; retryNum <= retryDelaysMs.length; retryNum += 1) {
        if (retryNum > 0) {
          retries[reason!] = (retries[reason!] ?? 0) + 1;
          await sleep(retryDelaysMs[retryNum - 1]!);
        }
        const target = pick();
        const outcome = await attempt(target, body, retryNum, reason);
        delivery.attempts.push({ target, outcome });
        if (outcome === 'ok') {
          delivery.acknowledged = true;
          return delivery;
        }
        reason = outcome;
      }
      return delivery;
    },
    retries: () => ({ ...retries }),
    close() {
      closed = true;
    },
  };
}
