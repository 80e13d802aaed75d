/**
 * The admin pages and the tabs between them. Operators see every tab; a workspace admin sees
 * the tabs marked `workspaceAdmin` only (their own workspace's parts). Each page renders
 * ADMIN_NAV_TEMPLATE first, with `it.nav` from adminNav().
 */
export interface AdminTab {
  path: string;
  label: string;
  /** Shown to a workspace admin too (scoped to their workspace); otherwise operators only. */
  workspaceAdmin: boolean;
}

export const ADMIN_PATH = '/admin';

export const ADMIN_TABS: readonly AdminTab[] = [
  { path: ADMIN_PATH, label: 'Modules', workspaceAdmin: false },
  { path: `${ADMIN_PATH}/queues`, label: 'Queues', workspaceAdmin: true },
  { path: `${ADMIN_PATH}/workspaces`, label: 'Workspaces', workspaceAdmin: true },
  { path: `${ADMIN_PATH}/members`, label: 'Members', workspaceAdmin: true },
  { path: `${ADMIN_PATH}/usage`, label: 'Usage', workspaceAdmin: true },
  { path: `${ADMIN_PATH}/audit`, label: 'Audit log', workspaceAdmin: false },
];

export interface AdminNav {
  tabs: Array<AdminTab & { current: boolean }>;
}

/** The tabs this viewer may open, the current one marked. */
export function adminNav(currentPath: string, viewer: { operator: boolean }): AdminNav {
  return {
    tabs: ADMIN_TABS.filter((t) => viewer.operator || t.workspaceAdmin).map((t) => ({ ...t, current: t.path === currentPath })),
  };
}

export const ADMIN_NAV_TEMPLATE = `<nav class="tabs" aria-label="Admin sections"><ul>
<% it.nav.tabs.forEach(function (t) { %><li><a href="<%= t.path %>"<% if (t.current) { %> aria-current="page"<% } %>><%= t.label %></a></li>
<% }) %></ul></nav>`;
