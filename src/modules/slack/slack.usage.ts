import type { DataSource } from 'typeorm';

/** One day of one workspace: messages answered and how long their replies took to reach Slack. */
export interface UsageDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  teamId: string;
  /** Messages to Jeeves that day (mentions, DMs). */
  commands: number;
  /** Of those, replies posted. */
  replied: number;
  /** From the message being taken up to its reply posted, in milliseconds; null with no reply. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface SlackUsage {
  /** A message was taken up; its reply will carry `key`. Idempotent (a retried job keeps the first time). */
  received(key: string, teamId: string, at?: Date): Promise<void>;
  /** The reply with `key` is in Slack (or the dev outbox); other keys are ignored. */
  replied(key: string, at?: Date): Promise<void>;
  /** Per UTC day and workspace since `since`, oldest first; with `teamId`, that workspace only. */
  days(options: { since: Date; teamId?: string }): Promise<UsageDay[]>;
}

interface UsageSqlRow {
  day: string;
  team_id: string;
  commands: string;
  replied: string;
  p50: number | null;
  p95: number | null;
}

const ms = (value: number | null) => (value === null ? null : Math.round(Number(value)));

/** Usage kept in slack_replies: one row per answered message, written by the event processor and delivery. */
export function createSlackUsage(dataSource: DataSource): SlackUsage {
  return {
    async received(key, teamId, at = new Date()) {
      await dataSource.query(`INSERT INTO slack_replies (key, team_id, received_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`, [key, teamId, at]);
    },
    // Every delivered message asks: a key that is not a reply's costs no date and no query.
    async replied(key, at) {
      if (!key.startsWith('reply:')) return;
      await dataSource.query(`UPDATE slack_replies SET replied_at = $2 WHERE key = $1 AND replied_at IS NULL`, [key, at ?? new Date()]);
    },
    async days({ since, teamId }) {
      const rows = (await dataSource.query(
        `SELECT to_char(date_trunc('day', received_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, team_id,
                count(*) AS commands, count(replied_at) AS replied,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM replied_at - received_at) * 1000) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM replied_at - received_at) * 1000) AS p95
         FROM slack_replies
         WHERE received_at >= $1 AND ($2::text IS NULL OR team_id = $2)
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [since, teamId ?? null],
      )) as UsageSqlRow[];
      return rows.map((r) => ({ day: r.day, teamId: r.team_id, commands: Number(r.commands), replied: Number(r.replied), p50Ms: ms(r.p50), p95Ms: ms(r.p95) }));
    },
  };
}
