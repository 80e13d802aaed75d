import { messagePage } from '../../platform/pages';

/** The module's few pages, in the shared layout (escaped by the template engine; no inline script, so the CSP holds). */
const signInLink = (loginPath: string) => ({ href: loginPath, text: 'Sign in with Slack' });

/** A refused or failed sign-in, a missing CSRF token, a door the member may not open. */
export function errorPage(title: string, message: string, loginPath: string): string {
  return messagePage({ title, paragraphs: [message], links: [signInLink(loginPath)] });
}

/** GET /logout: signing out is a POST with the session's CSRF token, so a link or image elsewhere cannot do it. */
export function signOutPage(csrfToken: string, member: { name?: string; userId: string }): string {
  const who = member.name ?? member.userId;
  return messagePage({ title: 'Sign out', paragraphs: [`Signed in as ${who}.`], form: { action: '/logout', csrfToken, button: 'Sign out' }, signedInAs: who });
}

export function signedOutPage(loginPath: string): string {
  return messagePage({ title: 'Signed out', paragraphs: ['You are signed out.'], links: [signInLink(loginPath)] });
}
