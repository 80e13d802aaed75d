import { messagePage } from '../../platform/pages';
import type { Installation } from './workspaces.types';

/** The few pages of Add to Slack, in the shared layout (escaped by the template engine; no script). */
export function installedPage(installation: Installation): string {
  const where = installation.teamName ?? installation.teamId;
  return messagePage({
    title: `Jeeves is in ${where}`,
    paragraphs: [
      `Jeeves was added to ${where} with the scopes ${installation.scopes.join(', ') || 'none'}.`,
      'Mention @jeeves in a channel or send it a direct message; "help" lists what it does.',
    ],
    links: [{ href: '/login', text: 'Sign in to see what Jeeves keeps about you' }],
  });
}

export function installFailedPage(title: string, message: string, installPath: string): string {
  return messagePage({ title, paragraphs: [message], links: [{ href: installPath, text: 'Add Jeeves to Slack again' }] });
}
