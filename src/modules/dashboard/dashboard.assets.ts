import { Router } from 'express';

export const ADMIN_SCRIPT_PATH = '/assets/admin.js';
export const ADMIN_POLL_MS = 3000;

/**
 * The Modules page's live figures: polls the page's JSON twin and rewrites each row's figures in
 * place (text only, never HTML). Formats as dashboard.pages.model.ts does. Served as a file of
 * this site: helmet's CSP allows no inline script.
 */
const ADMIN_SCRIPT = `(function () {
  'use strict';
  var table = document.querySelector('table.modules');
  if (!table || !window.fetch) return;
  var every = ${ADMIN_POLL_MS};
  var live = document.querySelector('[data-live]');
  var PLACES = { local: 'in-process', shadow: 'shadow', remote: 'remote' };
  function percent(x) { return x === null ? '\\u2013' : (x * 100).toFixed(1) + '%'; }
  function ms(x) { return x === null ? '\\u2013' : '\\u2264 ' + x + ' ms'; }
  function outcomes(o) { return Object.keys(o).sort().map(function (k) { return k + ' ' + o[k]; }).join(' \\u00b7 '); }
  function set(row, field, text, value) {
    var el = row.querySelector('[data-field="' + field + '"]');
    if (!el) return;
    if (el.textContent !== text) el.textContent = text;
    if (value !== undefined) el.setAttribute('data-value', value);
  }
  function cell(tag, field, text) {
    var el = document.createElement(tag);
    if (field) el.setAttribute('data-field', field);
    el.textContent = text;
    return el;
  }
  function routes(row, list) {
    var body = row.querySelector('[data-field="routes"]');
    if (!body) return;
    var rows = list.map(function (r) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-route', r.route);
      var th = cell('th', null, PLACES[r.route] || r.route);
      th.setAttribute('scope', 'row');
      tr.appendChild(th);
      tr.appendChild(cell('td', 'calls', String(r.totalCalls)));
      tr.appendChild(cell('td', 'lastMinute', String(r.callsPerMinute)));
      tr.appendChild(cell('td', 'outcomes', outcomes(r.outcomes)));
      tr.appendChild(cell('td', 'errorRate', percent(r.errorRate)));
      tr.appendChild(cell('td', 'p50', ms(r.p50Ms)));
      tr.appendChild(cell('td', 'p99', ms(r.p99Ms)));
      return tr;
    });
    if (rows.length === 0) {
      var tr = document.createElement('tr');
      tr.className = 'empty';
      var td = cell('td', null, 'No calls yet');
      td.colSpan = 7;
      td.className = 'muted';
      tr.appendChild(td);
      rows.push(tr);
    }
    body.replaceChildren.apply(body, rows);
  }
  function update(panel) {
    panel.modules.forEach(function (m) {
      var row = table.querySelector('tr[data-module="' + m.module.replace(/[^a-z0-9-]/gi, '') + '"]');
      if (!row) return;
      set(row, 'placement', PLACES[m.placement], m.placement);
      set(row, 'rollout', m.placement === 'local' ? '' : 'at ' + m.rollout + '%');
      set(row, 'stickiness', m.stickiness);
      set(row, 'breaker', m.breaker, m.breaker);
      set(row, 'mismatch', percent(m.shadowMismatchRate));
      routes(row, m.routes);
    });
    if (live) live.textContent = 'Updated ' + new Date().toLocaleTimeString() + ', every ' + every / 1000 + ' s.';
  }
  function poll() {
    if (document.hidden) return setTimeout(poll, every);
    fetch('/api/admin/modules', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(update)
      .catch(function (err) {
        if (live) live.textContent = 'Live updates paused (' + err.message + '); retrying.';
      })
      .then(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
`;

/** Serves the admin pages' script; mount at '/' (it answers ADMIN_SCRIPT_PATH only). */
export function adminAssetsRouter(): Router {
  const router = Router();
  router.get(ADMIN_SCRIPT_PATH, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.type('text/javascript').send(ADMIN_SCRIPT);
  });
  return router;
}
