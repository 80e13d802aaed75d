import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import express from 'express';
import { createApp } from '../../src/platform/app';
import { createSlackEventsHandler, SLACK_EVENTS_PATH } from '../../src/modules/slack';
import { createLogger } from '../../src/platform/logger';
import { createMetrics } from '../../src/platform/metrics';
import { createJobQueue } from '../../src/platform/queue';
import { listen } from '../../src/platform/server';
import { BOT_USER_ID } from '../lib/signed-events';

/**
 * The servers compared on POST /slack/events; each answers the same signed requests. The
 * jeeves-compiled and jeeves-tsx targets are the web process itself (`node dist/src/processes/main.js`,
 * and `tsx src/processes/main.ts`, with WORKER_QUEUES=none), spawned by ingest.bench.ts; the
 * others run in a bench child (ingest-server.child.ts) started from here.
 */
export const INGEST_TARGETS = ['express-bare', 'bolt-receiver', 'jeeves-compiled', 'jeeves-tsx', 'jeeves-memory'] as const;
export type IngestTarget = (typeof INGEST_TARGETS)[number];
/** The targets that are a Jeeves web process as deployed, with BullMQ on the run's Redis. */
export const WEB_PROCESS_TARGETS = { 'jeeves-compiled': 'web', 'jeeves-tsx': 'web-tsx' } as const;
export type ChildTarget = Exclude<IngestTarget, keyof typeof WEB_PROCESS_TARGETS>;

export interface IngestTargetParams {
  target: ChildTarget;
  signingSecret: string;
}

export interface RunningTarget {
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Baseline 1: the ceiling of Express itself on this body. It reads the body into one buffer
 * before answering, as Bolt and Jeeves must before they can verify it: the floor of the work
 * every target does, so the comparison is fair.
 */
async function startBareExpress(): Promise<RunningTarget> {
  const app = express();
  app.post('/slack/events', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      (req as { body?: Buffer }).body = Buffer.concat(chunks);
      res.status(200).end();
    });
  });
  const server = app.listen(0, HOST);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { port: portOf(server), close: () => closeServer(server) };
}

/**
 * Baseline 2: Bolt's default HTTPReceiver (signature and timestamp checks, ack before the
 * listeners run) with a message listener that does nothing. botId and botUserId are given so
 * Bolt never calls auth.test; the Web API points at a closed local port, never at slack.com.
 */
async function startBolt(signingSecret: string): Promise<RunningTarget> {
  const app = new App({
    signingSecret,
    token: 'xoxb-bench-token',
    botId: 'B0BENCH00',
    botUserId: BOT_USER_ID,
    tokenVerificationEnabled: false,
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: 'http://127.0.0.1:9/api/' },
  });
  app.message(async () => undefined);
  const server = await app.start({ port: 0, host: HOST });
  return { port: portOf(server), close: () => app.stop().then(() => undefined) };
}

/**
 * Jeeves' real app (request context, metrics, helmet for the rest) with only the events endpoint,
 * as the monolith mounts it, on the in-process queue: what the enqueue costs next to BullMQ's.
 */
async function startJeevesInProcess(params: IngestTargetParams): Promise<RunningTarget> {
  const logger = createLogger({ level: 'warn', name: 'jeeves-bench' });
  const metrics = createMetrics();
  const queue = createJobQueue({ logger, metrics });
  await queue.ping();
  const app = createApp({
    logger,
    metrics,
    readiness: { queue: () => queue.ping() },
    endpoints: [{ method: 'POST', path: SLACK_EVENTS_PATH, handler: createSlackEventsHandler({ signingSecret: params.signingSecret, queue, logger }) }],
  });
  const server = await listen(app, 0, HOST);
  return {
    port: server.port,
    close: async () => {
      await server.close();
      await queue.close(1000);
    },
  };
}

export function startIngestTarget(params: IngestTargetParams): Promise<RunningTarget> {
  switch (params.target) {
    case 'express-bare':
      return startBareExpress();
    case 'bolt-receiver':
      return startBolt(params.signingSecret);
    case 'jeeves-memory':
      return startJeevesInProcess(params);
  }
}
