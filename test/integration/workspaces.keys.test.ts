import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAdminCli } from '../../scripts/admin';
import { createKeyring, decodeKey, generateKey, keyIdOf } from '../../src/platform/crypto';
import { install, installationRows, startWorkspacesStack, type WorkspacesStack } from '../support/workspaces-stack';

/** Stored tokens and TOKEN_ENCRYPTION_KEY: a missing key, a rotation, and `npm run admin -- reencrypt-tokens`. */
let stack: WorkspacesStack;
let oldKey: string;
let token: string;
beforeEach(async () => {
  stack = await startWorkspacesStack({ rotation: true });
  oldKey = stack.keyringKey;
  await install(stack, { team: 'T1' });
  token = stack.slack.oauth.currentToken('T1')!;
});
afterEach(() => stack.close());

const keyringOf = (...keys: string[]) => createKeyring(keys.map((k) => decodeKey(k)!));
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (err: Error & { code?: string }) => err);

async function admin(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCli({
    argv,
    env: { NODE_ENV: 'test', DATABASE_URL: stack.db.url, JEEVES_DATA_DIR: mkdtempSync(join(tmpdir(), 'jeeves-admin-')), ...env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('stored tokens and their keys', () => {
  it('when the key that sealed a token is not configured, then botTokenFor fails clearly naming the key, and keeps failing the same way', async () => {
    const withoutIt = await stack.anotherProcess({ keyring: keyringOf(generateKey()) });

    const err = await rejection(withoutIt.botTokenFor('T1'));

    expect(err).toMatchObject({ code: 'WORKSPACES.TOKEN_UNREADABLE', status: 500 });
    expect(err!.message).toContain(keyIdOf(decodeKey(oldKey)!));
    expect(err!.message).toContain('TOKEN_ENCRYPTION_KEY');
    expect(await rejection(withoutIt.botTokenFor('T1'))).toMatchObject({ code: 'WORKSPACES.TOKEN_UNREADABLE' });
  });

  it('after a key rotation (new key first, old second), the token still reads, and what is written next is sealed with the new key', async () => {
    const newKey = generateKey();
    const rotated = await stack.anotherProcess({ keyring: keyringOf(newKey, oldKey) });

    expect(await rotated.botTokenFor('T1')).toBe(token);

    stack.clock.now += 12 * 3600_000 + 1;
    const refreshed = await rotated.botTokenFor('T1');
    const [row] = await installationRows(stack);
    expect(refreshed).toBe(stack.slack.oauth.currentToken('T1'));
    expect(row!.bot_token).toMatch(new RegExp(`^v1\\.${keyIdOf(decodeKey(newKey)!)}\\.`));
    expect(row!.refresh_token).toMatch(new RegExp(`^v1\\.${keyIdOf(decodeKey(newKey)!)}\\.`));
  });

  it('npm run admin -- reencrypt-tokens seals every token with the new key, after which the new key alone reads them', async () => {
    const newKey = generateKey();

    const run = await admin(['reencrypt-tokens'], { TOKEN_ENCRYPTION_KEY: `${newKey},${oldKey}` });

    expect(run).toMatchObject({ code: 0, out: `1 workspace with tokens; 1 re-encrypted with key ${keyIdOf(decodeKey(newKey)!)}` });
    const [row] = await installationRows(stack);
    expect(row!.bot_token).toMatch(new RegExp(`^v1\\.${keyIdOf(decodeKey(newKey)!)}\\.`));
    expect(row!.refresh_token).toMatch(new RegExp(`^v1\\.${keyIdOf(decodeKey(newKey)!)}\\.`));
    expect(await (await stack.anotherProcess({ keyring: keyringOf(newKey) })).botTokenFor('T1')).toBe(token);
    // Run again: nothing left to do.
    expect((await admin(['reencrypt-tokens'], { TOKEN_ENCRYPTION_KEY: `${newKey},${oldKey}` })).out).toContain('0 re-encrypted');
  });

  it('reencrypt-tokens without the old key names the workspaces it cannot read, exits 1, and leaves their rows as they were', async () => {
    const [before] = await installationRows(stack);

    const run = await admin(['reencrypt-tokens'], { TOKEN_ENCRYPTION_KEY: generateKey() });

    expect(run.code).toBe(1);
    expect(run.err).toContain('no configured key opens the tokens of T1');
    expect((await installationRows(stack))[0]).toEqual(before);
  });

  it('npm run admin lists its commands, and refuses an unknown one with exit code 2', async () => {
    expect(await admin(['help'], {})).toMatchObject({ code: 0, out: expect.stringContaining('reencrypt-tokens') });
    expect(await admin(['reencrypt-everything'], {})).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "reencrypt-everything"') });
  });

  it('npm run admin with a malformed TOKEN_ENCRYPTION_KEY says which variable, exit code 1', async () => {
    expect(await admin(['reencrypt-tokens'], { TOKEN_ENCRYPTION_KEY: 'short' })).toMatchObject({ code: 1, err: expect.stringContaining('TOKEN_ENCRYPTION_KEY') });
  });
});
