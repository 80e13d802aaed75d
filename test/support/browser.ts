import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';
/** Git-ignored: screenshots for a person to look at. */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

/**
 * `describe` when Chromium is there, or under CI (where its absence must fail, in launchChromium);
 * otherwise `describe.skip`, said loudly.
 */
export function browserDescribe(what: string): jest.Describe {
  const have = existsSync(CHROMIUM);
  if (!have && process.env.CI !== 'true') console.warn(`\n*** ${CHROMIUM} is missing: the browser test of ${what} is SKIPPED (apt-get install -y chromium) ***\n`);
  return have || process.env.CI === 'true' ? describe : describe.skip;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: CI must install chromium (see .ci/run)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** A server listening before its app exists, so PUBLIC_URL (the sign-in redirect URI) can be its real address. */
export interface LateServer {
  base: string;
  serve(app: Express): void;
  close(): Promise<void>;
}

export async function listenBeforeApp(): Promise<LateServer> {
  let app: Express | undefined;
  const server = createServer((req, res) => (app ? app(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (next) => void (app = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
