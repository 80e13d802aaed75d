import { ADMIN_NAV_TEMPLATE } from './dashboard.nav';

/**
 * The admin pages in Eta, inside the shared layout. `<%= %>` escapes; every form posts the
 * session's `_csrf`. Each module's row carries `data-module` and each live figure `data-field`,
 * which /assets/admin.js updates in place from GET /api/admin/modules.
 */
const ROUTES = `<table class="routes">
<thead><tr><th scope="col">Route</th><th scope="col">Calls</th><th scope="col">Last min</th><th scope="col">Outcomes</th><th scope="col">Errors</th><th scope="col">p50</th><th scope="col">p99</th></tr></thead>
<tbody data-field="routes">
<% m.routes.forEach(function (r) { %><tr data-route="<%= r.route %>"><th scope="row"><%= r.label %></th><td data-field="calls"><%= r.calls %></td><td data-field="lastMinute"><%= r.lastMinute %></td><td data-field="outcomes"><%= r.outcomes %></td><td data-field="errorRate"><%= r.errorRate %></td><td data-field="p50"><%= r.p50 %></td><td data-field="p99"><%= r.p99 %></td></tr>
<% }) %><% if (m.routes.length === 0) { %><tr class="empty"><td colspan="7" class="muted">No calls yet</td></tr><% } %>
</tbody>
</table>`;

const PLACEMENT_FORM = `<form method="post" action="/admin/modules/<%= m.module %>/placement" class="placement">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<label for="placement-<%= m.module %>">Placement</label>
<select id="placement-<%= m.module %>" name="placement">
<% it.placements.forEach(function (p) { %><option value="<%= p.value %>"<% if (m.form.placement === p.value) { %> selected<% } %>><%= p.label %></option>
<% }) %></select>
<label for="rollout-<%= m.module %>">Rollout %</label>
<input type="number" id="rollout-<%= m.module %>" name="rollout" min="0" max="100" step="1" value="<%= m.form.rollout %>">
<button type="submit">Move <%= m.module %></button>
</form>`;

const MODULES = `${ADMIN_NAV_TEMPLATE}
<section class="about">
<p>Placements are read from, and written to, <strong data-panel="flagsTarget"><%= it.flagsTarget %></strong>. Every Jeeves process re-reads them every <strong><%= it.refresh %></strong>, so a move shows everywhere within that, with no restart.</p>
<p class="muted">Calls, outcomes, error rates and latencies are <strong>this process's only</strong> (<span data-panel="process"><%= it.process %></span>): calls since it started and in the last minute, the rest since it started; other processes behind the same load balancer count their own. <span class="live" data-live aria-live="polite">Figures update every few seconds.</span></p>
</section>
<div class="table-scroll">
<table class="admin modules" data-refresh-ms="<%= it.refreshMs %>">
<thead><tr><th scope="col">Module</th><th scope="col">Placement now</th><th scope="col">Breaker</th><th scope="col">Calls by route (this process)</th><th scope="col">Shadow mismatches</th><th scope="col">Move</th></tr></thead>
<tbody>
<% it.modules.forEach(function (m) { %><tr data-module="<%= m.module %>">
<th scope="row" data-label="Module"><%= m.module %><% if (!m.remoteConfigured) { %><br><span class="muted">no service URL</span><% } %></th>
<td data-label="Placement now"><span class="placement-badge" data-field="placement" data-value="<%= m.placement %>"><%= m.placementLabel %></span> <span data-field="rollout"><%= m.rollout %></span><br><span class="muted">sticky: <span data-field="stickiness"><%= m.stickiness %></span></span></td>
<td data-label="Breaker"><span class="breaker" data-field="breaker" data-value="<%= m.breaker %>"><%= m.breaker %></span></td>
<td data-label="Calls by route">${ROUTES}</td>
<td data-label="Shadow mismatches"><span data-field="mismatch"><%= m.mismatch %></span><% if (m.recentMismatches.length > 0) { %>
<ul class="mismatches"><% m.recentMismatches.forEach(function (x) { %><li><time datetime="<%= x.at %>"><%= x.at %></time> <code><%= x.method %></code>: <code><%= x.local %></code> ≠ <code><%= x.remote %></code></li><% }) %></ul><% } %></td>
<td data-label="Move">${PLACEMENT_FORM}</td>
</tr>
<% }) %></tbody>
</table>
</div>`;

const AUDIT = `${ADMIN_NAV_TEMPLATE}
<p class="muted">Every admin action, newest first (the latest <%= it.limit %>).</p>
<% if (it.entries.length === 0) { %><p class="muted">Nothing yet.</p><% } else { %>
<div class="table-scroll">
<table class="admin audit">
<thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Before → after</th></tr></thead>
<tbody>
<% it.entries.forEach(function (e) { %><tr data-audit-id="<%= e.id %>">
<td data-label="When"><time datetime="<%= e.at %>"><%= e.when %></time></td>
<td data-label="Who"><%= e.actor %></td>
<td data-label="Action"><%= e.action %></td>
<td data-label="Target"><%= e.target %><% if (e.teamId) { %> <span class="muted">(<%= e.teamId %>)</span><% } %></td>
<td data-label="Before → after"><code><%= e.before %></code> → <code><%= e.after %></code></td>
</tr>
<% }) %></tbody>
</table>
</div>
<% } %>`;

export const ADMIN_TEMPLATES: Record<string, string> = { modules: MODULES, audit: AUDIT };
