import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSessionSecret } from '../../src/modules/auth';
import { captureLogs } from '../support/log-capture';

/** SESSION_SECRET, or in development one kept under JEEVES_DATA_DIR so sessions survive a restart. */

describe('resolveSessionSecret', () => {
  const dataDir = () => join(mkdtempSync(join(tmpdir(), 'jeeves-session-')), '.jeeves');

  it('when SESSION_SECRET is configured, then it is the secret and nothing is written', async () => {
    const dir = dataDir();
    await expect(resolveSessionSecret({ configured: 'configured-session-secret', dataDir: dir, logger: captureLogs().logger })).resolves.toBe('configured-session-secret');
    expect(() => statSync(join(dir, 'dev-session-secret'))).toThrow();
  });

  it('when unset, then a development secret is kept owner-only in the data directory, reused next time, and never logged', async () => {
    const dir = dataDir();
    const { logger, lines } = captureLogs();
    const secret = await resolveSessionSecret({ dataDir: dir, logger });
    const path = join(dir, 'dev-session-secret');
    expect(readFileSync(path, 'utf8').trim()).toBe(secret);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(resolveSessionSecret({ dataDir: dir, logger })).resolves.toBe(secret);
    expect(lines.join('')).toContain(`SESSION_SECRET is unset: signing sessions with the development secret in ${path}`);
    expect(lines.join('')).not.toContain(secret);
  });
});
