import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuild } from './lib/build';
import { FULL_SETTINGS, QUICK_SETTINGS, type BenchContext, type BenchSection } from './lib/context';
import { failedRow, formatTable, writeJson, type BenchRow } from './lib/results';
import { createScratchDatabase, type ScratchDatabase } from './lib/scratch-database';
import { claimScratchRedis, type ScratchRedis } from './lib/scratch-redis';
import { deliverySection } from './delivery/delivery.bench';
import { ingestSection } from './ingest/ingest.bench';
import { replySection } from './reply/reply-latency.bench';
import { flagsSection } from './remote/flags.bench';
import { remoteSection } from './remote/remote.bench';
import { startupSection } from './startup/startup.bench';

/**
 * `npm run bench [-- --quick] [-- --only=ingest,reply,...]`: every benchmark of issues 2-4 and 13 in
 * one run, each figure printed beside a baseline measured in the same run. Targets are only
 * ever checked here, never in timed tests. Needs PostgreSQL and Redis on 127.0.0.1
 * (BENCH_DATABASE_URL, BENCH_REDIS_URL override); creates and removes its own database and keys.
 */
const SECTIONS: BenchSection[] = [ingestSection, replySection, remoteSection, flagsSection, deliverySection, startupSection];

const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RESULTS_FILE = join(__dirname, 'results', 'latest.json');

function parseArgs(argv: string[]): { quick: boolean; only: Set<string> | undefined } {
  const only = argv.find((a) => a.startsWith('--only='));
  return { quick: argv.includes('--quick'), only: only ? new Set(only.slice('--only='.length).split(',')) : undefined };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const settings = args.quick ? QUICK_SETTINGS : FULL_SETTINGS;
  let redis: Promise<ScratchRedis> | undefined;
  let database: Promise<ScratchDatabase> | undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'jeeves-bench-'));
  const cleanup = async () => {
    await Promise.allSettled([redis?.then((r) => r.release()), database?.then((d) => d.drop()), rm(dataDir, { recursive: true, force: true })]);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  const ctx: BenchContext = {
    runId,
    settings,
    signingSecret: randomBytes(16).toString('hex'),
    dataDir,
    redis: () => (redis ??= claimScratchRedis(REDIS_URL, runId)),
    database: () => (database ??= createScratchDatabase(ADMIN_DATABASE_URL, runId)),
    log: (message) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`),
  };
  const started = performance.now();
  const rows: BenchRow[] = [];
  let crashed = 0;
  const selected = SECTIONS.filter((s) => !args.only || args.only.has(s.id));
  try {
    ctx.log(`load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    // Before any section: a build would otherwise take the cores from the first one's figures.
    if (selected.some((s) => s.needsBuild)) await ensureBuild(ctx.log);
    for (const section of selected) {
      ctx.log(`section ${section.id} (issue ${section.issue}): ${section.title}`);
      try {
        rows.push(...(await section.run(ctx)));
      } catch (err) {
        crashed += 1;
        ctx.log(`section ${section.id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        rows.push(failedRow(`${section.issue} ${section.id}`, section.title, err));
      }
    }
  } finally {
    await cleanup();
  }
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadavg: loadavg(), node: process.version };
  process.stdout.write(
    `\nJeeves benchmarks (${args.quick ? 'quick' : 'full'} run, ${((performance.now() - started) / 1000).toFixed(0)} s, ` +
      `${machine.cpus} cores, load average ${machine.loadavg.map((l) => l.toFixed(1)).join(' ')})\n\n${formatTable(rows)}\n`,
  );
  for (const section of selected) {
    const summary = section.summary?.(rows);
    if (summary) process.stdout.write(`\n${section.title}:\n\n${summary}\n`);
  }
  await writeJson(RESULTS_FILE, { runId, finishedAt: new Date().toISOString(), quick: args.quick, settings, machine, rows });
  process.stdout.write(`\nwritten to ${RESULTS_FILE}\n`);
  return crashed ? 1 : 0;
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
