import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFlagsCli } from '../../scripts/flags';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function flags(argv: string[], env: Record<string, string | undefined>): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runFlagsCli({ argv, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('npm run flags, against the flags file', () => {
  let dir: string;
  let file: string;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jeeves-flags-cli-'));
    file = join(dir, 'flags.json');
    env = { FLAGS_FILE: file };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));

  const content = () => JSON.parse(readFileSync(file, 'utf8')) as { flags: Record<string, unknown> };

  it('on creates the file and the flag, on for everyone', async () => {
    const run = await flags(['on', 'weather-remote'], env);
    expect(run).toMatchObject({ code: 0, out: 'weather-remote: on for everyone' });
    expect(content().flags['weather-remote']).toEqual({ enabled: true, rollout: 100, stickiness: 'default' });
  });

  it('rollout sets percentage and stickiness and switches on; off keeps the percentage for the next on', async () => {
    expect((await flags(['rollout', 'weather-remote', '50', '--stickiness', 'userId'], env)).out).toBe(
      'weather-remote: on for 50% (sticky per user)',
    );
    expect((await flags(['off', 'weather-remote'], env)).out).toBe('weather-remote: off (rollout 50% when on)');
    expect(content().flags['weather-remote']).toEqual({ enabled: false, rollout: 50, stickiness: 'userId' });
    expect((await flags(['on', 'weather-remote'], env)).out).toBe('weather-remote: on for 50% (sticky per user)');
    expect((await flags(['rollout', 'weather-remote', '20%', '--stickiness=teamId'], env)).out).toBe(
      'weather-remote: on for 20% (sticky per team)',
    );
  });

  it('list shows every flag, sorted', async () => {
    await flags(['on', 'weather-remote'], env);
    await flags(['off', 'users-remote'], env);
    const run = await flags(['list'], env);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`2 flags in file ${file}\n  users-remote: off (rollout 100% when on)\n  weather-remote: on for everyone`);
  });

  it('keeps what it does not change (descriptions, other flags) and leaves no temp file behind', async () => {
    writeFileSync(file, JSON.stringify({ $comment: 'ours', flags: { a: { enabled: false, description: 'why a' }, b: { enabled: true } } }));
    await flags(['on', 'a'], env);
    expect(content()).toEqual({
      $comment: 'ours',
      flags: { a: { enabled: true, rollout: 100, stickiness: 'default', description: 'why a' }, b: { enabled: true, rollout: 100, stickiness: 'default' } },
    });
    expect(readdirSync(dir)).toEqual(['flags.json']);
  });

  it('refuses to touch an invalid file, and says so', async () => {
    writeFileSync(file, '{"flags": {"a": {"enabled": "yes"}}}');
    const run = await flags(['on', 'a'], env);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/flags file .* is invalid \(flags\.a\.enabled: .*\); fix it by hand/);
    expect(readFileSync(file, 'utf8')).toBe('{"flags": {"a": {"enabled": "yes"}}}');
  });

  it.each([
    [['frob'], /unknown command "frob"/],
    [['on'], /usage: npm run flags -- on NAME/],
    [['on', 'Weather_Remote'], /"Weather_Remote" is not a flag name/],
    [['rollout', 'weather-remote', '101'], /"101" is not a percentage/],
    [['rollout', 'weather-remote', '-5'], /"-5" is not a percentage/],
    [['rollout', 'weather-remote', 'half'], /"half" is not a percentage/],
    [['rollout', 'weather-remote', '5', '--stickiness', 'sessionId'], /"sessionId" is not a stickiness/],
    [['on', 'weather-remote', '--stickiness', 'userId'], /--stickiness only goes with rollout/],
    [['list', '--force'], /unknown option --force/],
  ])('%j is refused with a clear message and exit code 2, touching nothing', async (argv, message) => {
    const run = await flags(argv, env);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('with no command, prints the usage', async () => {
    const run = await flags([], env);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^usage: npm run flags/);
  });
});

describe('npm run flags, against Unleash', () => {
  it('when UNLEASH_URL is set without UNLEASH_ADMIN_TOKEN, then it says which variable is missing', async () => {
    const run = await flags(['list'], { UNLEASH_URL: 'http://127.0.0.1:4242' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/UNLEASH_ADMIN_TOKEN is required when UNLEASH_URL is set/);
  });

  it('when Unleash is unreachable, then it says so with the URL', async () => {
    const server = createServer();
    const url = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const run = await flags(['on', 'weather-remote'], { UNLEASH_URL: url, UNLEASH_ADMIN_TOKEN: 't' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(`Unleash is unreachable at ${url} \\(.*ECONNREFUSED`));
  });

  it('when Unleash refuses the token, then it says the admin token is bad', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'UnauthorizedError', message: 'You must log in to use Unleash.' }));
    });
    const url = await listen(server);
    try {
      const run = await flags(['list'], { UNLEASH_URL: `${url}/api/`, UNLEASH_ADMIN_TOKEN: 'wrong' });
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/Unleash refused UNLEASH_ADMIN_TOKEN \(HTTP 401: You must log in to use Unleash.\)/);
      expect(seen).toEqual(['GET /api/admin/projects/default/features wrong']);
    } finally {
      server.close();
    }
  });
});
