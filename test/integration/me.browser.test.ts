import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser } from 'playwright-core';
import { AUTHORIZE_PATH, createSlackOpenIdRoutes } from '../../scripts/stand-ins/slack-openid.stand-in';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';

/**
 * The member's page as a person uses it, in Debian's Chromium: sign in through the Slack
 * stand-in's page, save a location with the form, see it. The screenshot is kept for a person
 * to look at. Without Chromium the test says so and skips; under CI it fails instead.
 */

jest.setTimeout(90_000);

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI !== 'true') {
  console.warn(`\n*** ${CHROMIUM} is missing: the browser test of /me is SKIPPED (apt-get install -y chromium) ***\n`);
}
const maybe = haveChromium || process.env.CI === 'true' ? describe : describe.skip;

maybe('/me in a browser', () => {
  let slack: SlackApiStandIn;
  let h: JeevesHarness;
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: CI must install chromium (see .ci/run)`);
    // Listening first, so PUBLIC_URL (and so the sign-in redirect URI) is the real address.
    const target: { app?: Express } = {};
    server = createServer((req, res) => target.app!(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const openId = await createSlackOpenIdRoutes();
    slack = await startSlackApiStandIn({ routes: (req, res, raw) => openId.handle(req, res, raw) });
    h = await startJeevesHarness(
      {
        SLACK_OPENID_URL: `${slack.url.replace(/api\/$/, '')}${AUTHORIZE_PATH.slice(1)}`,
        SLACK_CLIENT_ID: openId.clientId,
        SLACK_CLIENT_SECRET: openId.clientSecret,
        PUBLIC_URL: base,
      },
      { slack },
    );
    target.app = h.jeeves.app;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await h?.close();
    await slack?.close();
  });

  it('signs in through Slack’s page, saves a location with the form, and sees it on /me, with no CSP violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${base}/me`);
    // The stand-in's authorize page: pick the member, as a person would.
    await page.getByRole('link', { name: 'Alice Example' }).click();
    await page.waitForURL(`${base}/me`);
    await page.getByLabel('Place').fill('Paris');
    await page.getByRole('button', { name: 'Save location' }).click();
    await page.waitForURL(`${base}/me?notice=location`);
    expect(await page.locator('.location-name').textContent()).toBe('Paris, France');
    expect(await page.getByRole('status').textContent()).toBe('Location saved.');
    // The stylesheet applied under helmet's CSP.
    expect(await page.evaluate("getComputedStyle(document.querySelector('header.site')).backgroundColor")).toBe('rgb(74, 21, 75)');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'me.png'), fullPage: true });
    expect(violations).toEqual([]);
    expect((await h.jeeves.users.get({ teamId: 'T0STANDIN', userId: 'U0ALICE' })).location?.name).toBe('Paris, France');
  });
});
