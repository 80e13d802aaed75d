import { join } from 'node:path';
import { startChild } from '../lib/child-process';
import type { BenchContext, BenchSection } from '../lib/context';
import { jeevesEnv } from '../lib/jeeves-env';
import { runPacedLoad } from '../lib/paced-load';
import { row, type BenchRow } from '../lib/results';
import { signedEvents, threadTsOf, type SignedRequest } from '../lib/signed-events';
import { summarize } from '../lib/stats';
import type { MonolithChildParams } from './monolith.child';
import { startSlackSink, type SlackSink } from './slack-sink';

const SECTION = '2 reply';
const RATE = 200;
/**
 * Members (each with their own DM channel) taking turns: at 200/s each channel then hears from
 * Jeeves every 5 s, well inside Slack's one message per second per channel, so the rate
 * limiter (left on, as deployed) is consulted but never holds a reply back.
 */
const MEMBERS = 1000;
/** The warm-up also creates every member, so the timed run reads profiles rather than inserting them. */
const WARMUP_EVENTS = MEMBERS;
const DRAIN_TIMEOUT_MS = 30_000;

interface ReplyRun {
  latencies: number[];
  missing: number;
  duplicates: number;
  ackP99: number;
  note: string;
}

/** Sends the events at RATE, waits for every reply, and matches each reply to its event by thread. */
async function replyRun(sink: SlackSink, port: number, requests: SignedRequest[], firstSeq: number): Promise<ReplyRun> {
  const intended = new Float64Array(requests.length);
  const postsBefore = sink.posts;
  const load = await runPacedLoad({
    host: '127.0.0.1',
    port,
    path: '/slack/events',
    rate: RATE,
    requests,
    onSend: (i, at) => (intended[i] = at),
  });
  const allArrived = await sink.waitForPosts(postsBefore + requests.length, DRAIN_TIMEOUT_MS);
  const latencies: number[] = [];
  let missing = 0;
  let duplicates = 0;
  for (let i = 0; i < requests.length; i++) {
    const arrivals = sink.arrivals.get(threadTsOf(firstSeq + i));
    if (!arrivals) missing += 1;
    else {
      latencies.push(arrivals[0]! - intended[i]!);
      duplicates += arrivals.length - 1;
    }
  }
  const non200 = [...load.statuses].filter(([s]) => s !== 200).reduce((n, [, c]) => n + c, 0);
  return {
    latencies,
    missing,
    duplicates,
    ackP99: summarize(load.latencies).p99,
    note:
      `${requests.length} events sent at ${load.achievedRate.toFixed(0)}/s; ${latencies.length} replied, ${missing} missing` +
      `${allArrived ? '' : ` after ${DRAIN_TIMEOUT_MS / 1000} s`}, ${duplicates} duplicates, ${non200 + load.errors} not acknowledged 200`,
  };
}

/**
 * Issue 2: from the signed POST to the reply reaching the Slack Web API, through the whole
 * monolith as `npm start` wires it (PostgreSQL, BullMQ on Redis, the events and delivery
 * workers in the same process). "help" needs no weather; each event is in its own thread so
 * its reply can be matched to it.
 */
async function runReplyLatency(ctx: BenchContext): Promise<BenchRow[]> {
  const [redis, sink] = await Promise.all([ctx.redis(), startSlackSink()]);
  const env = await jeevesEnv(ctx, { slackApiUrl: sink.url, botToken: sink.token });
  const params: MonolithChildParams = { env, workers: true, web: true };
  const jeeves = await startChild<{ port: number }>('reply-monolith', join(__dirname, 'monolith.child.ts'), params);
  let cpu: number;
  let run: ReplyRun;
  try {
    const total = WARMUP_EVENTS + RATE * ctx.settings.replySeconds;
    const requests = signedEvents({ signingSecret: ctx.signingSecret, count: total, idPrefix: `${ctx.runId}E`, threaded: true, members: MEMBERS });
    ctx.log(`reply: warming up (${WARMUP_EVENTS} events)`);
    await replyRun(sink, jeeves.ready.port, requests.slice(0, WARMUP_EVENTS), 0);
    ctx.log(`reply: ${RATE}/s for ${ctx.settings.replySeconds} s`);
    await jeeves.cpuMark();
    run = await replyRun(sink, jeeves.ready.port, requests.slice(WARMUP_EVENTS), WARMUP_EVENTS);
    cpu = (await jeeves.cpuRead()).cores;
  } finally {
    await jeeves.close();
    await sink.close();
    await redis.clear();
  }
  const latency = summarize(run.latencies);
  const note = `${run.note}; monolith ${cpu.toFixed(2)} cores`;
  const unanswered = run.missing + run.duplicates > 0;
  return [
    row({ section: SECTION, name: `event-to-reply p50 at a steady ${RATE}/s`, value: latency.p50, unit: 'ms' }),
    row({
      section: SECTION,
      name: `event-to-reply p99 at a steady ${RATE}/s`,
      value: unanswered ? Number.NaN : latency.p99,
      unit: 'ms',
      target: { kind: 'at-most', max: 50 },
      note: unanswered ? `${note} (p99 of the replies that came: ${latency.p99.toFixed(1)} ms)` : note,
    }),
    row({ section: SECTION, name: `event-to-reply max at a steady ${RATE}/s`, value: latency.max, unit: 'ms' }),
    row({ section: SECTION, name: `ack p99 at a steady ${RATE}/s (full monolith)`, value: run.ackP99, unit: 'ms' }),
  ];
}

export const replySection: BenchSection = { id: 'reply', issue: 2, title: 'Event-to-reply latency through the monolith', run: runReplyLatency };
