/**
 * The module's few pages as plain HTML with every interpolated value escaped (the template
 * engine comes with the /me page). No inline script or style, so helmet's CSP holds.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Jeeves</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const signInLink = (loginPath: string) => `<p><a href="${escapeHtml(loginPath)}">Sign in with Slack</a></p>`;

/** A refused or failed sign-in, a missing CSRF token, a door the member may not open. */
export function errorPage(title: string, message: string, loginPath: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>\n${signInLink(loginPath)}`);
}

/** GET /logout: signing out is a POST with the session's CSRF token, so a link or image elsewhere cannot do it. */
export function signOutPage(csrfToken: string, member: { name?: string; userId: string }): string {
  return layout(
    'Sign out',
    `<p>Signed in as ${escapeHtml(member.name ?? member.userId)}.</p>
<form method="post" action="/logout">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}">
<button type="submit">Sign out</button>
</form>`,
  );
}

export function signedOutPage(loginPath: string): string {
  return layout('Signed out', `<p>You are signed out.</p>\n${signInLink(loginPath)}`);
}
