import { scanLogs, secretsOf } from '../support/log-scan';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The suite's log scan: what the harnesses rely on to say no secret reached a log line. */

it('finds a known secret in a message, masked in the report, and lets the redacted one through', () => {
  const scan = scanLogs(() => ['the-signing-secret-of-the-test']);
  scan.logger.info({ authorization: 'the-signing-secret-of-the-test' }, 'redacted by path');
  expect(scan.leaks()).toEqual([]);
  scan.logger.info({ detail: 'seen the-signing-secret-of-the-test here' }, 'carried in a field no path names');
  expect(scan.lines()).toBe(2);
  expect(scan.leaks()).toHaveLength(1);
  expect(scan.leaks()[0]).toContain('<the secret>');
  expect(scan.leaks()[0]).not.toContain('the-signing-secret-of-the-test');
});

it('logs at trace, so lines a production logger would drop are scanned too', () => {
  const scan = scanLogs(() => ['a-secret-at-trace-level']);
  scan.logger.trace({ note: 'a-secret-at-trace-level' }, 'very verbose');
  expect(scan.leaks()).toHaveLength(1);
});

it("counts a data directory's files as secrets, and ignores values too short to be one", () => {
  const dir = mkdtempSync(join(tmpdir(), 'jeeves-log-scan-'));
  writeFileSync(join(dir, 'dev-secret'), 'generated-development-secret\n');
  expect(secretsOf(['short', ['a-configured-secret', undefined]], dir).sort()).toEqual(['a-configured-secret', 'generated-development-secret']);
});
