import { runInNewContext } from 'node:vm';
import express from 'express';
import request from 'supertest';
import { workspacePanelsAssetsRouter } from '../../src/modules/dashboard';
import { createWorkspacePanels, redactText } from '../../src/modules/dashboard/dashboard.workspace-panels';
import type { UsagePanel, Viewer } from '../../src/modules/dashboard/dashboard.workspace-types';
import type { DeadLetter, OutgoingSlackMessage } from '../../src/modules/slack';
import { createLogger } from '../../src/platform/logger';

describe('redactText', () => {
  it.each([
    ['remind me to water the plants', 'remind me to…'],
    ['hi', 'hi'],
    ['  two words  ', 'two words'],
    ['supercalifragilisticexpialidocious-and-more words', 'supercalifragilisticexpi…'],
    ['', ''],
  ])('%p shows as %p', (text, shown) => {
    expect(redactText(text)).toBe(shown);
  });
});

describe('when the audit log is away, the action still stands', () => {
  const letter: DeadLetter = {
    id: 'd1',
    key: 'k1',
    teamId: 'T0A',
    channel: 'C0A',
    text: 'remind me to water the plants',
    code: 'channel_not_found',
    reason: 'Slack said channel_not_found',
    attempts: 5,
    failedAt: '2026-12-01T08:00:00.000Z',
  };
  const operator: Viewer = { operator: true, teamId: 'T0A', actor: 'T0A/U0OP' };
  const admin = (userId: string) => ({ teamId: 'T0A', userId, role: 'admin' as const, grantedBy: 'install' as const, grantedAt: new Date('2026-11-01T00:00:00Z') });

  function panelsWithAuditAway() {
    const done: string[] = [];
    const sent: OutgoingSlackMessage[] = [];
    const lines: string[] = [];
    const panels = createWorkspacePanels({
      deadLetters: {
        list: async () => [letter],
        get: async (id) => (id === letter.id ? letter : undefined),
        take: async (id) => {
          done.push(`take ${id}`);
          return letter;
        },
        record: async () => true,
      },
      send: async (message) => void sent.push(message),
      workspaces: { installations: async () => [], installation: async () => undefined },
      users: { list: async () => ({ items: [], nextCursor: null }) },
      roles: {
        admins: async () => [admin('U0A'), admin('U0B')],
        operators: async () => [],
        grant: async ({ teamId, userId }) => {
          done.push(`grant ${teamId}/${userId}`);
          return true;
        },
        revoke: async (teamId, userId) => {
          done.push(`revoke ${teamId}/${userId}`);
          return true;
        },
      },
      usage: { days: async () => [] },
      audit: { record: () => Promise.reject(new Error('database away')), list: async () => [] },
      logger: createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(line) } }),
    });
    const logged = () => lines.map((line) => JSON.parse(line) as unknown);
    return { panels, done, sent, logged };
  }

  it('a retried dead letter is sent and answered as retried, and the line that keeps its entry is logged', async () => {
    const { panels, sent, logged } = panelsWithAuditAway();
    await expect(panels.retry(operator, 'd1')).resolves.toEqual({ id: 'd1', teamId: 'T0A', key: 'k1:retry:d1' });
    expect(sent).toEqual([{ key: 'k1:retry:d1', teamId: 'T0A', channel: 'C0A', text: 'remind me to water the plants' }]);
    expect(logged()).toMatchObject([
      { level: 50, msg: 'dead letter retried but not written to the audit log', err: { message: 'database away' }, entry: { actor: 'T0A/U0OP', action: 'dead-letter-retry', target: 'd1', after: { queued: 'k1:retry:d1' } } },
    ]);
  });

  it('a discarded dead letter is deleted and answered as discarded, and the line that keeps its entry is logged', async () => {
    const { panels, done, logged } = panelsWithAuditAway();
    await expect(panels.discard(operator, 'd1')).resolves.toEqual({ id: 'd1', teamId: 'T0A' });
    expect(done).toEqual(['take d1']);
    expect(logged()).toMatchObject([
      { level: 50, msg: 'dead letter discarded but not written to the audit log', entry: { actor: 'T0A/U0OP', action: 'dead-letter-discard', target: 'd1', before: { channel: 'C0A', text: 'remind me to…' }, after: null } },
    ]);
  });

  it('a promoted member is made admin and answered as changed, and the line that keeps its entry is logged', async () => {
    const { panels, done, logged } = panelsWithAuditAway();
    await expect(panels.promote(operator, 'T0A', 'U0C')).resolves.toEqual({ changed: true });
    expect(done).toEqual(['grant T0A/U0C']);
    expect(logged()).toMatchObject([
      { level: 50, msg: 'member promoted but not written to the audit log', entry: { actor: 'T0A/U0OP', teamId: 'T0A', action: 'promote', target: 'T0A/U0C', after: { admin: true } } },
    ]);
  });

  it('a demoted admin loses the role and is answered as changed, and the line that keeps its entry is logged', async () => {
    const { panels, done, logged } = panelsWithAuditAway();
    await expect(panels.demote(operator, 'T0A', 'U0B')).resolves.toEqual({ changed: true });
    expect(done).toEqual(['revoke T0A/U0B']);
    expect(logged()).toMatchObject([
      { level: 50, msg: 'member demoted but not written to the audit log', entry: { actor: 'T0A/U0OP', teamId: 'T0A', action: 'demote', target: 'T0A/U0B', after: { admin: false } } },
    ]);
  });
});

interface Drawn {
  opts: { title: string; series: Array<{ label?: string }> };
  data: Array<Array<number | null>>;
  el: FakeElement;
}

class FakeElement {
  attributes: Record<string, string> = {};
  textContent = '';
  clientWidth = 800;
  setAttribute(name: string, value: string) {
    this.attributes[name] = value;
  }
  getAttribute(name: string) {
    return this.attributes[name] ?? null;
  }
}

/** The chart script as the browser gets it, run against a page of three elements and a recording uPlot. */
async function runUsageScript(usage: UsagePanel): Promise<{ drawn: Drawn[]; section: FakeElement; fetched: string[] }> {
  const app = express().use(workspacePanelsAssetsRouter());
  const script = (await request(app).get('/assets/admin-usage.js').expect(200).expect('content-type', /javascript/)).text;
  const elements: Record<string, FakeElement> = { usage: new FakeElement(), 'chart-commands': new FakeElement(), 'chart-latency': new FakeElement() };
  elements.usage!.setAttribute('data-source', '/api/admin/usage?days=3');
  const drawn: Drawn[] = [];
  const fetched: string[] = [];
  function uPlot(this: unknown, opts: Drawn['opts'], data: Drawn['data'], el: FakeElement) {
    drawn.push({ opts, data, el });
  }
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  runInNewContext(script, {
    document: { getElementById: (id: string) => elements[id] ?? null },
    uPlot,
    window: {},
    fetch: async (url: string) => {
      fetched.push(url);
      setTimeout(done, 10);
      return { ok: true, json: async () => usage };
    },
  });
  await finished;
  return { drawn, section: elements.usage!, fetched };
}

describe('the usage chart script', () => {
  it('reads the twin named by data-source and draws commands and latency with one series per workspace, gaps as null', async () => {
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const usage: UsagePanel = {
      teamId: null,
      since: day(2),
      days: [
        { day: day(2), teamId: 'T0A', commands: 3, replied: 3, p50Ms: 40, p95Ms: 90 },
        { day: day(0), teamId: 'T0A', commands: 1, replied: 1, p50Ms: 55, p95Ms: 55 },
        { day: day(0), teamId: 'T0B', commands: 2, replied: 1, p50Ms: 70, p95Ms: 80 },
      ],
      workspaces: [
        { teamId: 'T0A', commands: 4 },
        { teamId: 'T0B', commands: 2 },
      ],
    };
    const { drawn, section, fetched } = await runUsageScript(usage);
    expect(fetched).toEqual(['/api/admin/usage?days=3']);
    expect(section.getAttribute('data-charts')).toBe('drawn');
    expect(drawn.map((d) => d.opts.title)).toEqual(['Commands per day', 'Median reply latency (ms)']);
    const [commands, latency] = drawn;
    expect(commands!.opts.series.slice(1).map((s) => s.label)).toEqual(['T0A', 'T0B']);
    expect(commands!.data[0]).toHaveLength(3);
    expect(commands!.data.slice(1)).toEqual([
      [3, null, 1],
      [null, null, 2],
    ]);
    expect(latency!.data.slice(1)).toEqual([
      [40, null, 55],
      [null, null, 70],
    ]);
    expect(commands!.el.getAttribute('data-series')).toBe('2');
  });
});

describe('the usage chart script with nothing to draw', () => {
  it('draws no chart and says the charts are empty', async () => {
    const { drawn, section } = await runUsageScript({ teamId: 'T0A', since: new Date().toISOString().slice(0, 10), days: [], workspaces: [] });
    expect(drawn).toEqual([]);
    expect(section.getAttribute('data-charts')).toBe('empty');
  });
});

describe('the queue counts script', () => {
  it('polls the Queues twin at the interval the section names and rewrites each queue’s counts', async () => {
    const app = express().use(workspacePanelsAssetsRouter());
    const script = (await request(app).get('/assets/admin-queues.js').expect(200)).text;
    const cells = [0, 1, 2, 3].map(() => ({ textContent: '0' }));
    const section = new FakeElement();
    section.setAttribute('data-source', '/api/admin/queues');
    section.setAttribute('data-refresh-ms', '2000');
    const selectors: string[] = [];
    Object.assign(section, {
      querySelector: (selector: string) => {
        selectors.push(selector);
        return selector === 'tr[data-queue="reminders"]' ? { querySelectorAll: () => cells } : null;
      },
    });
    const timers: Array<{ run: () => Promise<void>; every: number }> = [];
    const fetched: string[] = [];
    runInNewContext(script, {
      document: { getElementById: (id: string) => (id === 'queue-counts' ? section : null) },
      window: {},
      setInterval: (run: () => Promise<void>, every: number) => timers.push({ run, every }),
      fetch: async (url: string) => {
        fetched.push(url);
        return { ok: true, json: async () => ({ process: 'p', queues: [{ queue: 'reminders', waiting: 4, active: 1, delayed: 7, failed: 2 }, { queue: 'gone', waiting: 1, active: 0, delayed: 0, failed: 0 }] }) };
      },
    });
    expect(timers.map((t) => t.every)).toEqual([2000]);
    expect(fetched).toEqual([]);
    await timers[0]!.run();
    expect(fetched).toEqual(['/api/admin/queues']);
    expect(cells.map((c) => c.textContent)).toEqual(['4', '1', '7', '2']);
    expect(selectors).toEqual(['tr[data-queue="reminders"]', 'tr[data-queue="gone"]']);
    expect(section.getAttribute('data-updated')).toEqual(expect.any(String));
  });
});
