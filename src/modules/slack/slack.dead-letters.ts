import { Counter, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { DeliveryFailure, DeliveryFailureSink } from './slack.delivery';

/** A message the delivery queue gave up on, with Slack's reason. */
export interface DeadLetter {
  id: string;
  key: string;
  teamId: string;
  channel: string;
  text: string;
  code: string;
  reason: string;
  attempts: number;
  failedAt: string;
}

export interface DeadLetters {
  /** Idempotent by message key: a second give-up of the same key keeps the first row. True when a row was written. */
  record(failure: DeliveryFailure): Promise<boolean>;
  /** Newest first; with `teamId`, that workspace's only. */
  list(limit?: number, filter?: { teamId?: string }): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Deletes the row and answers it; undefined when another caller took it first. */
  take(id: string): Promise<DeadLetter | undefined>;
  /** The sink createSlackDelivery's onGiveUp takes. */
  sink: DeliveryFailureSink;
}

export interface DeadLettersOptions {
  dataSource: DataSource;
  /** Where jeeves_slack_dead_letters_total{code} is registered (the process's /metrics registry). */
  registry?: Registry;
}

export const DEAD_LETTERS_MAX_LIMIT = 500;

interface DeadLetterSqlRow {
  id: string;
  key: string;
  team_id: string;
  channel: string;
  text: string;
  code: string;
  reason: string;
  attempts: number;
  failed_at: Date;
}

const COLUMNS = 'id, key, team_id, channel, text, code, reason, attempts, failed_at';
/** A bigserial id: anything else names no row (and would make PostgreSQL throw). */
const ID = /^[1-9]\d{0,17}$/;

const toDeadLetter = (r: DeadLetterSqlRow): DeadLetter => ({
  id: String(r.id),
  key: r.key,
  teamId: r.team_id,
  channel: r.channel,
  text: r.text,
  code: r.code,
  reason: r.reason,
  attempts: Number(r.attempts),
  failedAt: new Date(r.failed_at).toISOString(),
});

function counterOn(registry: Registry): Counter<'code'> {
  const name = 'jeeves_slack_dead_letters_total';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'code'>;
  return new Counter({ name, help: 'Slack messages given up on and dead-lettered, by error code', labelNames: ['code'] as const, registers: [registry] });
}

export function createDeadLetters({ dataSource, registry }: DeadLettersOptions): DeadLetters {
  const counter = registry ? counterOn(registry) : undefined;
  const record = async ({ message, code, reason, attemptsMade }: DeliveryFailure): Promise<boolean> => {
    const rows = (await dataSource.query(
      `INSERT INTO slack_dead_letters (key, team_id, channel, text, code, reason, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key) DO NOTHING
       RETURNING id`,
      [message.key, message.teamId, message.channel, message.text, code, reason, attemptsMade],
    )) as unknown[];
    const written = rows.length > 0;
    if (written) counter?.inc({ code });
    return written;
  };
  return {
    record,
    sink: async (failure) => {
      await record(failure);
    },
    async list(limit = 50, filter = {}) {
      const bounded = Math.min(Math.max(1, Math.floor(limit)), DEAD_LETTERS_MAX_LIMIT);
      const rows = (await dataSource.query(
        `SELECT ${COLUMNS} FROM slack_dead_letters WHERE ($2::text IS NULL OR team_id = $2) ORDER BY id DESC LIMIT $1`,
        [bounded, filter.teamId ?? null],
      )) as DeadLetterSqlRow[];
      return rows.map(toDeadLetter);
    },
    async get(id) {
      if (!ID.test(id)) return undefined;
      const [row] = (await dataSource.query(`SELECT ${COLUMNS} FROM slack_dead_letters WHERE id = $1`, [id])) as DeadLetterSqlRow[];
      return row ? toDeadLetter(row) : undefined;
    },
    async take(id) {
      if (!ID.test(id)) return undefined;
      // TypeORM answers a DELETE ... RETURNING as [rows, affected].
      const [rows] = (await dataSource.query(`DELETE FROM slack_dead_letters WHERE id = $1 RETURNING ${COLUMNS}`, [id])) as [DeadLetterSqlRow[], number];
      const [row] = rows;
      return row ? toDeadLetter(row) : undefined;
    },
  };
}
