/**
 * The member's page, in Eta inside the shared layout (platform/pages). `<%= %>` escapes; every
 * form posts the session's `_csrf`; no field names a member: whose data it is comes from the session.
 */
const CSRF = `<input type="hidden" name="_csrf" value="<%= it.csrf %>">`;

const PROFILE = `<section id="profile">
<h2>You</h2>
<dl>
<dt>Display name</dt><dd><%= it.displayName %></dd>
<dt>Slack</dt><dd><%= it.member.userId %> in workspace <%= it.member.teamId %></dd>
</dl>
</section>`;

const LOCATION = `<section id="location">
<h2>Location</h2>
<% if (it.location) { %>
<p>Your location is <strong class="location-name"><%= it.location.name %></strong> (<%= it.location.timezone %>).</p>
<% } else { %>
<p class="muted">You have not saved a location yet.</p>
<% } %>
<form method="post" action="/me/location">
${CSRF}
<label for="place">Place</label>
<input type="text" id="place" name="place" maxlength="200" required value="<%= it.form.place %>">
<button type="submit">Save location</button>
</form>
<% if (it.location) { %>
<form method="post" action="/me/location/unset">
${CSRF}
<button type="submit" class="secondary">Forget my location</button>
</form>
<% } %>
</section>`;

const SETTINGS = `<section id="settings">
<h2>Settings</h2>
<% it.settings.forEach(function (s) { %>
<form method="post" action="/me/settings" class="setting">
${CSRF}
<input type="hidden" name="key" value="<%= s.key %>">
<label for="setting-<%= s.key %>"><%= s.key %></label>
<input type="text" id="setting-<%= s.key %>" name="value" maxlength="200" value="<%= s.shown %>" placeholder="<%= s.allowed %>">
<button type="submit">Save</button>
<span class="muted"><%= s.description %></span>
</form>
<% if (s.value !== null) { %>
<form method="post" action="/me/settings/unset" class="inline">
${CSRF}
<input type="hidden" name="key" value="<%= s.key %>">
<button type="submit" class="secondary">Unset <%= s.key %></button>
</form>
<% } %>
<% }) %>
</section>`;

const REMINDERS = `<section id="reminders">
<h2>Reminders</h2>
<% if (it.reminders.length === 0) { %>
<p class="muted">No pending reminders. Say <code>remind me to … in 10 minutes</code> to Jeeves in Slack.</p>
<% } else { %>
<ul class="reminders">
<% it.reminders.forEach(function (r) { %>
<li><span>#<%= r.id %> <%= r.text %> <span class="muted">(<%= r.due %>)</span></span>
<form method="post" action="/me/reminders/<%= r.id %>/cancel" class="inline">
${CSRF}
<button type="submit" class="secondary">Cancel #<%= r.id %></button>
</form></li>
<% }) %>
</ul>
<% } %>
</section>`;

const ALERTS = `<section id="alerts">
<h2>Daily weather alert</h2>
<% if (it.alerts && it.alerts.enabled) { %>
<p>On, every day at <strong><%= it.alerts.localTime %></strong> (<%= it.alerts.timezone %>)<% if (it.alerts.nextAt) { %>, next <%= it.alerts.nextAt %><% } %>.</p>
<% } else { %>
<p class="muted">Off.</p>
<% } %>
<form method="post" action="/me/alerts">
${CSRF}
<label for="alerts-enabled">Alert</label>
<select id="alerts-enabled" name="enabled">
<option value="on"<% if (it.form.alertsEnabled === 'on') { %> selected<% } %>>on</option>
<option value="off"<% if (it.form.alertsEnabled === 'off') { %> selected<% } %>>off</option>
</select>
<label for="alerts-time">Time</label>
<input type="text" id="alerts-time" name="time" inputmode="numeric" pattern="[0-9]{1,2}:[0-9]{2}" maxlength="5" value="<%= it.form.alertTime %>">
<button type="submit">Save alert</button>
</form>
</section>`;

const DATA = `<section id="data">
<h2>Your data</h2>
<p><a href="/me/data.json" download>Download my data</a> (JSON: profile, settings, location, reminders, alert).</p>
<form method="post" action="/me/forget">
${CSRF}
<input type="checkbox" id="forget-confirm" name="confirm" value="yes">
<label for="forget-confirm">Yes, delete everything Jeeves keeps about me</label>
<button type="submit" class="danger">Forget me</button>
</form>
</section>`;

const FORGOTTEN = `<p>Jeeves has deleted your profile, location, settings, reminders, alert and roles, and signed you out.</p>
<p><a href="/login">Sign in with Slack</a></p>`;

export const ME_TEMPLATES: Record<string, string> = {
  me: [PROFILE, LOCATION, SETTINGS, REMINDERS, ALERTS, DATA].join('\n'),
  forgotten: FORGOTTEN,
};
