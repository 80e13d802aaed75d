import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { SlackApiStandIn } from '../../scripts/stand-ins/slack.stand-in';
import { createRoles } from '../../src/modules/auth';
import { REMINDERS_QUEUE } from '../../src/modules/reminders';
import { createDeadLetters, type DeadLetters } from '../../src/modules/slack';
import { browserDescribe, launchChromium, listenBeforeApp, SCREENSHOTS, type LateServer } from '../support/browser';
import { eventually, type JeevesHarness } from '../support/jeeves-harness';
import { startSignInHarness } from '../support/sign-in-harness';

/** The page's document, as the functions run in the browser see it (the tests compile without the DOM library). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

/**
 * The Queues, Workspaces, Members and Usage pages as admins use them, in Debian's Chromium:
 * an operator retries a dead letter from the page, the usage charts draw, and a workspace admin
 * sees their own workspace only. Screenshots of each page at 1280 and 390 px are kept for a
 * person to look at. Without Chromium the test says so and skips; under CI it fails instead.
 */

jest.setTimeout(120_000);

browserDescribe('the admin workspace pages')('the admin workspace pages in a browser', () => {
  let slack: SlackApiStandIn;
  let h: JeevesHarness;
  let server: LateServer;
  let browser: Browser;
  let deadLetters: DeadLetters;

  async function deadLetter(teamId: string, text: string, channel: string): Promise<string> {
    const key = `reply:Ev${channel}`;
    await deadLetters.record({ message: { key, teamId, channel, text }, code: 'SLACK.CHANNEL_NOT_FOUND', reason: 'channel_not_found', attemptsMade: 5 });
    return (await deadLetters.list(500)).find((d) => d.key === key)!.id;
  }

  async function answered(teamId: string, channel: string, text: string): Promise<void> {
    const dm = h.signedDm(text, { channel, teamId });
    await request(h.jeeves.app).post('/slack/events').set(dm.headers).send(dm.body).expect(200);
    await eventually(() => slack.messages.filter((m) => m.channel === channel), (m) => m.length === 1);
  }

  /** Signs in through the stand-in's page as `name`, landing on `path`; CSP violations are collected. */
  async function signedInPage(name: string, path: string, violations: string[]): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${server.base}${path}`);
    await page.getByRole('link', { name }).click();
    await page.waitForURL(`${server.base}${path}`);
    return page;
  }

  async function screenshots(page: Page, name: string): Promise<void> {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    server = await listenBeforeApp();
    ({ h, slack } = await startSignInHarness({ PUBLIC_URL: server.base }));
    server.serve(h.jeeves.app);
    deadLetters = createDeadLetters({ dataSource: h.database.dataSource });
    const roles = createRoles(h.database.dataSource);
    await roles.grant({ teamId: 'T0STANDIN', userId: 'U0ALICE', role: 'operator', grantedBy: 'command' });
    await roles.grant({ teamId: 'T0STANDIN', userId: 'U0ALICE', role: 'admin', grantedBy: 'command' });
    await roles.grant({ teamId: 'T0OTHER', userId: 'U0CAROL', role: 'admin', grantedBy: 'command' });
    await h.jeeves.users.getOrCreate({ teamId: 'T0STANDIN', userId: 'U0ALICE' }, { displayName: 'Alice Example' });
    await h.jeeves.users.getOrCreate({ teamId: 'T0STANDIN', userId: 'U0BOB' }, { displayName: 'Bob Example' });
    await h.jeeves.users.getOrCreate({ teamId: 'T0OTHER', userId: 'U0CAROL' }, { displayName: 'Carol Example' });
    // Answered before T0OTHER's install row exists: its tokens there are placeholders no key opens.
    await answered('T0STANDIN', 'D0USE1', 'help');
    await answered('T0STANDIN', 'D0USE2', 'help');
    await answered('T0OTHER', 'D0USE3', 'help');
    await h.database.dataSource.query(
      `INSERT INTO workspaces_installations (team_id, team_name, scopes, installer_user_id, bot_token, refresh_token, token_expires_at, installed_at, updated_at, last_refreshed_at)
       VALUES ('T0OTHER', 'Other Workspace', ARRAY['app_mentions:read','chat:write','im:history','users:read'], 'U0CAROL', 'sealed', 'sealed', now() + interval '12 hours', now() - interval '3 days', now(), now() - interval '1 hour')`,
    );
    await h.jeeves.workspaces.uninstalled('T0GONE');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h?.close();
    await slack?.close();
  });

  it('an operator retries a dead letter from the Queues page: it reaches Slack and leaves the list', async () => {
    const id = await deadLetter('T0STANDIN', 'your reminder: renew the parking permit before Friday', 'C0BROWSER');
    await deadLetter('T0OTHER', 'the weather in Lyon is sunny', 'C0OTHER');
    const violations: string[] = [];
    const page = await signedInPage('Alice Example', '/admin/queues', violations);
    expect(await page.locator('#queue-counts tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator(`tr[data-dead-letter="${id}"] td.redacted`).textContent()).toBe('your reminder: renew…');
    await screenshots(page, 'admin-queues-operator');
    // The counts refresh by themselves: a job delayed an hour shows without a reload.
    const delayed = page.locator(`tr[data-queue="${REMINDERS_QUEUE}"] td:nth-child(4)`);
    const before = Number(await delayed.textContent());
    await h.infra.queue.add(REMINDERS_QUEUE, 'admin-browser-probe', { nothing: true }, { delayMs: 3_600_000 });
    // A function, not a string: the page's CSP forbids eval.
    await page.waitForFunction(
      ({ queue, expected }) => document.querySelector(`tr[data-queue="${queue}"] td:nth-child(4)`)?.textContent === expected,
      { queue: REMINDERS_QUEUE, expected: String(before + 1) },
      { timeout: 15_000 },
    );
    await page.getByRole('button', { name: `Retry dead letter ${id}` }).click();
    await page.waitForURL(`${server.base}/admin/queues?notice=retried`);
    expect(await page.getByRole('status').textContent()).toBe('Dead letter queued again.');
    expect(await page.locator(`tr[data-dead-letter="${id}"]`).count()).toBe(0);
    const posted = await eventually(() => slack.messages.filter((m) => m.channel === 'C0BROWSER'), (m) => m.length === 1);
    expect(posted[0]!.text).toBe('your reminder: renew the parking permit before Friday');
    expect(violations).toEqual([]);
  });

  it('an operator sees every workspace, members with their roles, and the usage charts drawn', async () => {
    const violations: string[] = [];
    const page = await signedInPage('Alice Example', '/admin/workspaces', violations);
    expect(await page.locator('[data-workspace="T0OTHER"] .token-state').textContent()).toMatch(/^rotating, expires /);
    expect(await page.locator('[data-workspace="T0GONE"] .badge').textContent()).toBe('uninstalled');
    await screenshots(page, 'admin-workspaces-operator');

    await page.getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(`${server.base}/admin/members`);
    const members = await page.locator('tr[data-member]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-member')));
    expect(members).toEqual(expect.arrayContaining(['T0STANDIN/U0ALICE', 'T0STANDIN/U0BOB', 'T0OTHER/U0CAROL']));
    await page.getByLabel('Search by name or user id').fill('bob');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${server.base}/admin/members?q=bob`);
    expect(await page.locator('tr[data-member]').count()).toBe(1);
    await page.getByRole('button', { name: 'Promote Bob Example to admin' }).click();
    await page.waitForURL(`${server.base}/admin/members?notice=promoted`);
    expect(await page.locator('tr[data-member="T0STANDIN/U0BOB"] .badge').textContent()).toBe('admin');
    await screenshots(page, 'admin-members-operator');

    await page.getByRole('link', { name: 'Usage' }).click();
    await page.waitForSelector('#usage[data-charts="drawn"]');
    expect(await page.locator('#chart-commands canvas').count()).toBe(1);
    expect(await page.locator('#chart-latency canvas').count()).toBe(1);
    expect(await page.locator('#chart-commands').getAttribute('data-series')).toBe('2');
    expect(await page.locator('#usage-workspaces tbody tr').allTextContents()).toEqual(['T0STANDIN2', 'T0OTHER1']);
    await screenshots(page, 'admin-usage-operator');
    expect(violations).toEqual([]);
  });

  it("a workspace admin sees their own workspace's dead letters, install and usage only, and no queue counts", async () => {
    const violations: string[] = [];
    const page = await signedInPage('Carol Example', '/admin/queues', violations);
    expect(await page.locator('nav.tabs a').allTextContents()).toEqual(['Queues', 'Workspaces', 'Members', 'Usage']);
    expect(await page.locator('#queue-counts').count()).toBe(0);
    const workspaces = await page.locator('tr[data-dead-letter] td:nth-child(2)').allTextContents();
    expect(workspaces.length).toBeGreaterThan(0);
    expect(new Set(workspaces)).toEqual(new Set(['T0OTHER']));
    await screenshots(page, 'admin-queues-workspace-admin');
    await page.getByRole('link', { name: 'Workspaces' }).click();
    await page.waitForURL(`${server.base}/admin/workspaces`);
    expect(await page.locator('[data-workspace]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-workspace')))).toEqual(['T0OTHER']);
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.waitForSelector('#usage[data-charts="drawn"]');
    expect(await page.locator('#chart-commands').getAttribute('data-series')).toBe('1');
    await screenshots(page, 'admin-usage-workspace-admin');
    const refused = await page.goto(`${server.base}/admin/queues?team=T0STANDIN`);
    expect(refused?.status()).toBe(403);
    expect(violations).toEqual([]);
  });
});
