import { ADMIN_NAV_TEMPLATE } from './dashboard.nav';

/**
 * The workspace panels' pages, in Eta inside the shared layout. `<%= %>` escapes; every form
 * posts the session's `_csrf`; scripts are files (no inline script: helmet's CSP holds).
 */
export const ADMIN_PANELS_STYLESHEET_PATH = '/assets/admin-panels.css';
export const ADMIN_USAGE_SCRIPT_PATH = '/assets/admin-usage.js';
export const ADMIN_QUEUES_SCRIPT_PATH = '/assets/admin-queues.js';
export const UPLOT_SCRIPT_PATH = '/assets/uplot/uPlot.iife.min.js';
export const UPLOT_STYLESHEET_PATH = '/assets/uplot/uPlot.min.css';

const CSRF = `<input type="hidden" name="_csrf" value="<%= it.csrf %>">`;
const HEAD = `<link rel="stylesheet" href="${ADMIN_PANELS_STYLESHEET_PATH}">
${ADMIN_NAV_TEMPLATE}
<% if (it.operator) { %>
<form method="get" class="scope" role="search">
<label for="scope-team">Workspace</label>
<input type="text" id="scope-team" name="team" placeholder="every workspace" pattern="T[A-Z0-9]{2,20}" maxlength="21" value="<%= it.scope || '' %>">
<button type="submit" class="secondary">Show</button>
</form>
<% } else { %>
<p class="scope muted">Workspace <strong><%= it.scope %></strong></p>
<% } %>`;

const QUEUES = `${HEAD}
<% if (it.queues) { %>
<section id="queue-counts" class="admin-panel" data-source="/api/admin/queues" data-refresh-ms="5000">
<h2>Queues</h2>
<p class="muted">Counts from the queue backend, as process <%= it.queues.process %> reads them; they refresh every 5 seconds.</p>
<div class="table-wrap"><table class="admin-table">
<thead><tr><th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Active</th><th scope="col">Delayed</th><th scope="col">Failed</th></tr></thead>
<tbody>
<% it.queues.queues.forEach(function (q) { %><tr data-queue="<%= q.queue %>"><th scope="row"><%= q.queue %></th><td><%= q.waiting %></td><td><%= q.active %></td><td><%= q.delayed %></td><td><%= q.failed %></td></tr>
<% }) %></tbody></table></div>
<script src="${ADMIN_QUEUES_SCRIPT_PATH}" defer></script>
</section>
<% } %>
<section id="dead-letters" class="admin-panel">
<h2>Dead letters</h2>
<p class="muted">Replies Slack refused or that ran out of tries, newest first. Retry queues one again; discard deletes it.</p>
<% if (it.deadLetters.length === 0) { %>
<p class="empty">No dead letters.</p>
<% } else { %>
<div class="table-wrap"><table class="admin-table">
<thead><tr><th scope="col">Failed</th><th scope="col">Workspace</th><th scope="col">Channel</th><th scope="col">Text</th><th scope="col">Reason</th><th scope="col">Actions</th></tr></thead>
<tbody>
<% it.deadLetters.forEach(function (d) { %><tr data-dead-letter="<%= d.id %>">
<td><time datetime="<%= d.failedAt %>"><%= d.failedAt.slice(0, 16).replace('T', ' ') %></time></td>
<td><%= d.teamId %></td><td><%= d.channel %></td><td class="redacted"><%= d.text %></td>
<td><code><%= d.code %></code> <span class="muted"><%= d.reason %> (<%= d.attempts %> tries)</span></td>
<td class="actions">
<form method="post" action="/admin/dead-letters/<%= d.id %>/retry" class="inline">${CSRF}<button type="submit" aria-label="Retry dead letter <%= d.id %>">Retry</button></form>
<form method="post" action="/admin/dead-letters/<%= d.id %>/discard" class="inline">${CSRF}<button type="submit" class="secondary" aria-label="Discard dead letter <%= d.id %>">Discard</button></form>
</td></tr>
<% }) %></tbody></table></div>
<% } %>
</section>`;

const WORKSPACES = `${HEAD}
<section id="workspaces" class="admin-panel">
<h2>Installations</h2>
<% if (it.workspaces.length === 0) { %><p class="empty">No workspace has installed Jeeves yet.</p><% } %>
<div class="cards">
<% it.workspaces.forEach(function (w) { %><article class="card<% if (w.uninstalledAt) { %> gone<% } %>" data-workspace="<%= w.teamId %>">
<h3><%= w.teamName || w.teamId %> <% if (w.uninstalledAt) { %><span class="badge bad">uninstalled</span><% } else { %><span class="badge good">installed</span><% } %></h3>
<dl>
<dt>Team id</dt><dd><%= w.teamId %></dd>
<dt>Installed</dt><dd><%= w.installedAt ? w.installedAt.slice(0, 16).replace('T', ' ') : '—' %></dd>
<dt>Installer</dt><dd><%= w.installerUserId || '—' %></dd>
<dt>Scopes</dt><dd class="scopes"><% w.scopes.forEach(function (s) { %><code><%= s %></code> <% }) %><% if (w.scopes.length === 0) { %>—<% } %></dd>
<dt>Token</dt><dd class="token-state"><%= w.token.rotating ? 'rotating' : 'not rotating' %><% if (w.token.expiresAt) { %>, expires <%= w.token.expiresAt.slice(0, 16).replace('T', ' ') %><% } %></dd>
<dt>Last refresh</dt><dd><%= w.token.lastRefreshedAt ? w.token.lastRefreshedAt.slice(0, 16).replace('T', ' ') : '—' %></dd>
<dt>Last error</dt><dd><% if (w.token.lastError) { %><span class="bad"><%= w.token.lastError %></span><% } else { %>—<% } %></dd>
<% if (w.uninstalledAt) { %><dt>Uninstalled</dt><dd><%= w.uninstalledAt.slice(0, 16).replace('T', ' ') %> (<%= w.uninstallReason %>)</dd><% } %>
</dl>
</article>
<% }) %></div>
</section>`;

const MEMBERS = `${HEAD}
<section id="members" class="admin-panel">
<h2>Members</h2>
<form method="get" action="/admin/members" role="search">
<% if (it.scope && it.operator) { %><input type="hidden" name="team" value="<%= it.scope %>"><% } %>
<label for="member-search">Search by name or user id</label>
<input type="text" id="member-search" name="q" maxlength="100" value="<%= it.q || '' %>">
<button type="submit">Search</button>
</form>
<% if (it.members.length === 0) { %><p class="empty">No member found.</p><% } else { %>
<div class="table-wrap"><table class="admin-table">
<thead><tr><th scope="col">Member</th><th scope="col">Workspace</th><th scope="col">Role</th><th scope="col">Action</th></tr></thead>
<tbody>
<% it.members.forEach(function (m) { %><tr data-member="<%= m.teamId %>/<%= m.userId %>">
<td><%= m.displayName || m.userId %> <span class="muted"><%= m.userId %></span></td><td><%= m.teamId %></td>
<td><% if (m.operator) { %><span class="badge">operator</span> <% } %><% if (m.admin) { %><span class="badge good">admin</span><% } else { %>member<% } %></td>
<td class="actions"><% if (m.admin) { %>
<form method="post" action="/admin/members/<%= m.teamId %>/<%= m.userId %>/demote" class="inline">${CSRF}<button type="submit" class="secondary" aria-label="Demote <%= m.displayName || m.userId %>">Demote</button></form>
<% } else { %>
<form method="post" action="/admin/members/<%= m.teamId %>/<%= m.userId %>/promote" class="inline">${CSRF}<button type="submit" aria-label="Promote <%= m.displayName || m.userId %> to admin">Promote to admin</button></form>
<% } %></td></tr>
<% }) %></tbody></table></div>
<% } %>
<% if (it.next) { %><p><a class="next" href="<%= it.next %>">Next page</a></p><% } %>
</section>`;

const USAGE = `${HEAD}
<link rel="stylesheet" href="${UPLOT_STYLESHEET_PATH}">
<section id="usage" class="admin-panel" data-source="<%= it.source %>">
<% if (it.usage.workspaces.length > 0) { %>
<h2>Commands per day</h2>
<div class="chart" id="chart-commands" role="img" aria-label="Commands per day, by workspace"></div>
<h2>Reply latency (median, ms)</h2>
<div class="chart" id="chart-latency" role="img" aria-label="Median reply latency per day, by workspace"></div>
<% } %>
<h2>Per workspace, since <%= it.usage.since %></h2>
<% if (it.usage.workspaces.length === 0) { %><p class="empty">No messages in this period.</p><% } else { %>
<div class="table-wrap"><table class="admin-table" id="usage-workspaces">
<thead><tr><th scope="col">Workspace</th><th scope="col">Commands</th></tr></thead>
<tbody><% it.usage.workspaces.forEach(function (w) { %><tr><th scope="row"><%= w.teamId %></th><td><%= w.commands %></td></tr><% }) %></tbody>
</table></div>
<h2>By day</h2>
<div class="table-wrap"><table class="admin-table" id="usage-days">
<thead><tr><th scope="col">Day</th><th scope="col">Workspace</th><th scope="col">Commands</th><th scope="col">Replied</th><th scope="col">p50 ms</th><th scope="col">p95 ms</th></tr></thead>
<tbody><% it.usage.days.forEach(function (d) { %><tr><td><%= d.day %></td><td><%= d.teamId %></td><td><%= d.commands %></td><td><%= d.replied %></td><td><%= d.p50Ms === null ? '—' : d.p50Ms %></td><td><%= d.p95Ms === null ? '—' : d.p95Ms %></td></tr><% }) %></tbody>
</table></div>
<% } %>
</section>
<script src="${UPLOT_SCRIPT_PATH}" defer></script>
<script src="${ADMIN_USAGE_SCRIPT_PATH}" defer></script>`;

export const WORKSPACE_PANEL_TEMPLATES: Record<string, string> = {
  'admin-queues': QUEUES,
  'admin-workspaces': WORKSPACES,
  'admin-members': MEMBERS,
  'admin-usage': USAGE,
};
