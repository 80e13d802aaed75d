import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSigningSecret } from '../../src/modules/slack';
import { captureLogs } from '../support/log-capture';

/** The development signing secret shared by Jeeves and `npm run slack`. */

describe('resolveSigningSecret', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'jeeves-secret-')), 'nested', '.jeeves');
  });

  it('when SLACK_SIGNING_SECRET is configured, then it is used and no file is written', async () => {
    const { logger } = captureLogs();
    expect(await resolveSigningSecret({ configured: 'configured-secret', dataDir, logger })).toEqual({ secret: 'configured-secret', development: false });
    expect(() => statSync(join(dataDir, 'dev-signing-secret'))).toThrow();
  });

  it('when unset, then a random secret is created readable by the owner only, and the log says where', async () => {
    const { logger, lines } = captureLogs();
    const resolved = await resolveSigningSecret({ dataDir, logger });
    const path = join(dataDir, 'dev-signing-secret');
    expect(resolved).toEqual({ secret: expect.stringMatching(/^[0-9a-f]{64}$/), development: true });
    expect(readFileSync(path, 'utf8').trim()).toBe(resolved.secret);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(lines.join('')).toContain(`development signing secret in ${path}`);
    expect(lines.join('')).not.toContain(resolved.secret);
  });

  it('when the file exists, then its secret is reused', async () => {
    const { logger } = captureLogs();
    const first = await resolveSigningSecret({ dataDir, logger });
    const second = await resolveSigningSecret({ dataDir, logger });
    expect(second.secret).toBe(first.secret);
  });

  it('when the file was written by hand, then its trimmed content is the secret', async () => {
    const { logger } = captureLogs();
    await resolveSigningSecret({ dataDir, logger });
    writeFileSync(join(dataDir, 'dev-signing-secret'), '  hand-made  \n');
    expect((await resolveSigningSecret({ dataDir, logger })).secret).toBe('hand-made');
  });
});
