import type { Installation } from './workspaces.types';

/** The few pages of Add to Slack: plain HTML, every value escaped, no script (the CSP forbids inline script). */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function page(title: string, paragraphs: string[], link?: { href: string; text: string }): string {
  const body = paragraphs.map((p) => `  <p>${escapeHtml(p)}</p>`).join('\n');
  const action = link ? `\n  <p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Jeeves</title></head>
<body>
  <h1>${escapeHtml(title)}</h1>
${body}${action}
</body>
</html>
`;
}

export function installedPage(installation: Installation): string {
  const where = installation.teamName ?? installation.teamId;
  return page(`Jeeves is in ${where}`, [
    `Jeeves was added to ${where} with the scopes ${installation.scopes.join(', ') || 'none'}.`,
    'Mention @jeeves in a channel or send it a direct message; "help" lists what it does.',
  ]);
}

export function installFailedPage(title: string, message: string, installPath: string): string {
  return page(title, [message], { href: installPath, text: 'Add Jeeves to Slack again' });
}
