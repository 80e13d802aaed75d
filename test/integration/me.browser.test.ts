import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AUTHORIZE_PATH, createSlackOpenIdRoutes } from '../../scripts/stand-ins/slack-openid.stand-in';
import { startSlackApiStandIn, type SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { browserDescribe, launchChromium, listenBeforeApp, SCREENSHOTS, type LateServer } from '../support/browser';
import { startJeevesHarness, type JeevesHarness } from '../support/jeeves-harness';

/**
 * The member's page as a person uses it, in Debian's Chromium: sign in through the Slack
 * stand-in's page, save a location with the form, see it. The screenshot is kept for a person
 * to look at. Without Chromium the test says so and skips; under CI it fails instead.
 */

jest.setTimeout(90_000);

const maybe = browserDescribe('/me');

maybe('/me in a browser', () => {
  let slack: SlackApiStandIn;
  let h: JeevesHarness;
  let server: LateServer | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    // Listening first (listenBeforeApp), so PUBLIC_URL (and so the sign-in redirect URI) is the real address.
    server = await listenBeforeApp();
    base = server.base;
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
    server.serve(h.jeeves.app);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
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
    await page.screenshot({ path: join(SCREENSHOTS, 'me.png'), fullPage: true });
    expect(violations).toEqual([]);
    expect((await h.jeeves.users.get({ teamId: 'T0STANDIN', userId: 'U0ALICE' })).location?.name).toBe('Paris, France');
  });
});
