import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runAdminCli } from '../../scripts/admin';
import type { CliIo } from '../../scripts/cli';
import { createRoles } from '../../src/modules/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** `npm run admin -- operator <team> <user>`: how a maintainer names an operator. */

const ROOT = join(__dirname, '../..');

function io(argv: string[], env: Record<string, string | undefined>): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { argv, env, out: (l) => lines.push(l), err: (l) => errors.push(l), lines, errors };
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('npm run admin -- operator', () => {
  it('when run through npm, then the member is an operator and the command says so', async () => {
    const child = spawn('npm', ['run', '--silent', 'admin', '--', 'operator', 'T0SHORTCUT', 'U0MAINTAINER'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out.trim()).toBe('T0SHORTCUT:U0MAINTAINER is now an operator');
    expect(await createRoles(db.dataSource).rolesOf('T0SHORTCUT', 'U0MAINTAINER')).toEqual(['operator']);
    expect(await createRoles(db.dataSource).operators()).toEqual([expect.objectContaining({ grantedBy: 'command' })]);
  });

  it('when the member is an operator already, then it says so and succeeds', async () => {
    const run = io(['operator', 'T0SHORTCUT', 'U0MAINTAINER'], { DATABASE_URL: db.url });
    await expect(runAdminCli(run)).resolves.toBe(0);
    expect(run.lines).toEqual(['T0SHORTCUT:U0MAINTAINER was an operator already']);
  });

  it.each([
    [['operator', 'T0ONLY']],
    [['operator', 'not-a-team', 'U0X']],
    [['operator', 'T0X', 'bob']],
    [['unknown-command']],
    [[]],
  ])('when the arguments are %j, then exit code 2 and nothing granted', async (argv) => {
    const run = io(argv, { DATABASE_URL: db.url });
    await expect(runAdminCli(run)).resolves.toBe(2);
    expect((await createRoles(db.dataSource).operators()).map((g) => g.userId)).toEqual(['U0MAINTAINER']);
  });

  it('when the database cannot be reached, then exit code 1 with the reason', async () => {
    const run = io(['operator', 'T0X', 'U0X'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none' });
    await expect(runAdminCli(run)).resolves.toBe(1);
    expect(run.errors.join('\n')).toMatch(/^error: /);
  });
});
