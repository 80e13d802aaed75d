import { createRequire } from 'node:module';
import { Router } from 'express';
import { ADMIN_PANELS_STYLESHEET_PATH, ADMIN_QUEUES_SCRIPT_PATH, ADMIN_USAGE_SCRIPT_PATH, UPLOT_SCRIPT_PATH, UPLOT_STYLESHEET_PATH } from './dashboard.workspace-views';

/** The workspace panels' own stylesheet, served next to the shared one so the two never clash. */
const STYLESHEET = `.admin-panel { overflow-wrap: anywhere; }
.scope { margin: 0 0 0.4rem; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table.admin-table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
table.admin-table th, table.admin-table td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.admin-table thead th { font-weight: 600; border-bottom-width: 2px; white-space: nowrap; }
table.admin-table td.actions { white-space: nowrap; }
table.admin-table td.actions form.inline + form.inline { margin-left: 0.3rem; }
td.redacted { font-style: italic; }
.empty { padding: 0.6rem 0.8rem; border: 1px dashed var(--line); border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); gap: 0.8rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; }
.card.gone { opacity: 0.8; border-style: dashed; }
.card h3 { font-size: 1.05rem; margin: 0 0 0.4rem; }
.card dl { grid-template-columns: 7rem 1fr; }
.scopes code { display: inline-block; margin: 0 0.2rem 0.2rem 0; font-size: 0.85rem; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 999px; border: 1px solid var(--line); font-size: 0.8rem; font-weight: 600; }
.badge.good { border-color: var(--good); color: var(--good); }
.badge.bad, span.bad { border-color: var(--bad); color: var(--bad); }
.chart { min-height: 12rem; margin: 0 0 1rem; }
.chart .uplot { max-width: 100%; }
@media (max-width: 40rem) { .admin-panel .table-wrap { overflow-wrap: normal; } .admin-panel .table-wrap td, .admin-panel .table-wrap th { white-space: nowrap; } }
@media (max-width: 30rem) { table.admin-table { font-size: 0.85rem; } table.admin-table th, table.admin-table td { padding: 0.3rem; } .card dl { grid-template-columns: 1fr; } }
`;

/**
 * Draws the usage charts with uPlot from the page's JSON twin (data-source). The tables stay
 * on the page: they are what shows without script.
 */
const USAGE_SCRIPT = `(function () {
  'use strict';
  var section = document.getElementById('usage');
  if (!section || typeof uPlot === 'undefined') return;
  var COLOURS = ['#4a154b', '#1b6e2d', '#b5581c', '#1f5fa8', '#8a1538', '#5b6b00'];
  function dayIndex(usage) {
    var days = [];
    var start = Date.parse(usage.since + 'T00:00:00Z');
    for (var t = start; t <= Date.now(); t += 86400000) days.push(new Date(t).toISOString().slice(0, 10));
    return days;
  }
  function series(usage, days, pick) {
    var teams = usage.workspaces.map(function (w) { return w.teamId; });
    return teams.map(function (team) {
      return days.map(function (day) {
        var row = usage.days.find(function (d) { return d.day === day && d.teamId === team; });
        return row ? pick(row) : null;
      });
    });
  }
  function draw(target, title, usage, days, values, width) {
    var el = document.getElementById(target);
    el.textContent = '';
    var xs = days.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    var opts = {
      title: title, width: width, height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(usage.workspaces.map(function (w, i) {
        return { label: w.teamId, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: false, points: { show: true } };
      })),
      axes: [{}, { size: 50 }]
    };
    el.setAttribute('data-series', String(values.length));
    return new uPlot(opts, [xs].concat(values), el);
  }
  fetch(section.getAttribute('data-source'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(function (res) { if (!res.ok) throw new Error('usage: ' + res.status); return res.json(); })
    .then(function (usage) {
      if (usage.workspaces.length === 0 || !document.getElementById('chart-commands')) { section.setAttribute('data-charts', 'empty'); return; }
      var days = dayIndex(usage);
      var width = Math.max(260, Math.min(section.clientWidth, 1100));
      draw('chart-commands', 'Commands per day', usage, days, series(usage, days, function (r) { return r.commands; }), width);
      draw('chart-latency', 'Median reply latency (ms)', usage, days, series(usage, days, function (r) { return r.p50Ms; }), width);
      section.setAttribute('data-charts', 'drawn');
    })
    .catch(function (err) { section.setAttribute('data-charts', 'failed'); if (window.console) console.error(err); });
})();
`;

/** Keeps the queue counts current: polls the Queues twin and rewrites the row of each queue. */
const QUEUES_SCRIPT = `(function () {
  'use strict';
  var section = document.getElementById('queue-counts');
  if (!section) return;
  var every = Number(section.getAttribute('data-refresh-ms')) || 5000;
  var COLUMNS = ['waiting', 'active', 'delayed', 'failed'];
  function refresh() {
    return fetch(section.getAttribute('data-source'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) { if (!res.ok) throw new Error('queues: ' + res.status); return res.json(); })
      .then(function (panel) {
        panel.queues.forEach(function (q) {
          var row = section.querySelector('tr[data-queue="' + q.queue + '"]');
          if (!row) return;
          var cells = row.querySelectorAll('td');
          COLUMNS.forEach(function (name, i) { if (cells[i]) cells[i].textContent = String(q[name]); });
        });
        section.setAttribute('data-updated', new Date().toISOString());
      })
      .catch(function (err) { if (window.console) console.error(err); });
  }
  setInterval(refresh, every);
})();
`;

const requireHere = createRequire(__filename);
const UPLOT_FILES: Record<string, string> = {
  [UPLOT_SCRIPT_PATH]: requireHere.resolve('uplot/dist/uPlot.iife.min.js'),
  [UPLOT_STYLESHEET_PATH]: requireHere.resolve('uplot/dist/uPlot.min.css'),
};

/** Serves the panels' stylesheet and chart script, and uPlot's own files from node_modules; mount at '/'. */
export function workspacePanelsAssetsRouter(): Router {
  const router = Router();
  const cache = (res: { set(name: string, value: string): unknown }) => res.set('Cache-Control', 'public, max-age=3600');
  router.get(ADMIN_PANELS_STYLESHEET_PATH, (_req, res) => {
    cache(res);
    res.type('text/css').send(STYLESHEET);
  });
  router.get(ADMIN_USAGE_SCRIPT_PATH, (_req, res) => {
    cache(res);
    res.type('text/javascript').send(USAGE_SCRIPT);
  });
  router.get(ADMIN_QUEUES_SCRIPT_PATH, (_req, res) => {
    cache(res);
    res.type('text/javascript').send(QUEUES_SCRIPT);
  });
  for (const [path, file] of Object.entries(UPLOT_FILES)) {
    router.get(path, (_req, res) => {
      cache(res);
      res.sendFile(file);
    });
  }
  return router;
}
