import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrationsFor } from '../../migrations';
import { runMigrateCli } from '../../scripts/migrate';

/** `npm run migrate` and `--wait` (what a release's migration Job and every pod's init container run), on an empty database. */
interface Run {
  code: number;
  out: string[];
  err: string[];
}

function migrate(argv: string[], env: Record<string, string>): { done: Promise<Run>; out: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const done = runMigrateCli({ argv, env, out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({ code, out, err }));
  return { done, out };
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env.JEEVES_TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('npm run migrate', () => {
  const name = `jeeves_m_${randomBytes(6).toString('hex')}`;
  let env: Record<string, string>;
  const everyMigration = migrationsFor().map((m) => m.name);

  beforeEach(async () => {
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.JEEVES_TEST_PG_ADMIN_URL!);
    url.pathname = `/${name}`;
    env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url.toString() };
  });
  afterEach(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('on an empty database, applies every migration; run again, applies none', async () => {
    const first = await migrate([], env).done;
    expect(first.code).toBe(0);
    for (const migration of everyMigration) expect(first.out.join('\n')).toContain(migration);

    const second = await migrate([], env).done;
    expect(second).toMatchObject({ code: 0, out: ['nothing to migrate'] });
  });

  it('--wait names what is pending, applies nothing, and exits 0 once the migrator has run', async () => {
    const waiting = migrate(['--wait'], env);
    await until(() => waiting.out.some((line) => line.startsWith('waiting for the migration job:')));
    expect(waiting.out[0]).toContain(everyMigration[0]);

    expect((await migrate([], env).done).code).toBe(0);
    const waited = await waiting.done;
    expect(waited.code).toBe(0);
    expect(waited.out.at(-1)).toBe('every migration is applied');
  });

  it('--wait gives up after --wait-seconds with exit 1, naming the pending migrations', async () => {
    const run = await migrate(['--wait', '--wait-seconds', '0'], env).done;
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toContain(everyMigration.at(-1));
  });

  it('refuses an unknown argument with the usage and exit 2', async () => {
    const run = await migrate(['--frobnicate'], env).done;
    expect(run).toMatchObject({ code: 2, err: [expect.stringContaining('usage: npm run migrate')] });
  });
});
