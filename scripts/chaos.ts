import { rmSync } from 'node:fs';
import { runAsCommand, type CliIo } from './cli';
import { unleashInstalled } from './chaos/deployment';
import { defaultLogDir, runChaos } from './chaos/run';

/**
 * `npm run chaos [-- --messages N --reminders N --send-seconds N]`: the chaos run. Starts a
 * deployment of separate processes (2 web, 2 worker pools, the users and weather services, a
 * real Unleash, a Redis of its own) on CHAOS_DATABASE_URL's PostgreSQL (default
 * postgres://postgres@127.0.0.1:5432/postgres), breaks it while it works, prints the figures and
 * exits 1 unless every message was answered once and correctly.
 */

const USAGE = 'usage: npm run chaos [-- --messages N (2000) --reminders N (100) --send-seconds N (100)]';

function numberOption(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number\n${USAGE}`);
  return value;
}

export async function chaosCommand(io: CliIo): Promise<number> {
  if (io.argv.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  let options: { messages: number; reminders: number; sendSeconds: number };
  try {
    options = {
      messages: numberOption(io.argv, 'messages', 2000),
      reminders: numberOption(io.argv, 'reminders', 100),
      sendSeconds: Math.max(1, numberOption(io.argv, 'send-seconds', 100)),
    };
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  if (!unleashInstalled()) {
    io.err('the chaos run needs the Unleash server of test/unleash: run `npm ci --prefix test/unleash` first');
    return 1;
  }
  const logDir = defaultLogDir();
  rmSync(logDir, { recursive: true, force: true });
  const report = await runChaos({ ...options, adminDatabaseUrl: io.env.CHAOS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', logDir, say: io.out });
  io.out(report.text);
  return report.problems.length === 0 ? 0 : 1;
}

if (require.main === module) runAsCommand(chaosCommand);
