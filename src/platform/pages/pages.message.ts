import { createPageRenderer } from './pages.renderer';

/** A short page in the shared layout: what happened, a way on, perhaps one CSRF-carrying button. */
export interface MessagePage {
  title: string;
  paragraphs: string[];
  links?: Array<{ href: string; text: string }>;
  /** A POST form of one button, with the session's CSRF token in a hidden `_csrf`. */
  form?: { action: string; csrfToken: string; button: string };
  signedInAs?: string;
}

const MESSAGE_TEMPLATE = `<% for (const paragraph of it.paragraphs) { %><p><%= paragraph %></p>
<% } %><% if (it.form) { %><form method="post" action="<%= it.form.action %>">
<input type="hidden" name="_csrf" value="<%= it.form.csrfToken %>">
<button type="submit"><%= it.form.button %></button>
</form>
<% } %><% for (const link of it.links) { %><p><a href="<%= link.href %>"><%= link.text %></a></p>
<% } %>`;

const renderer = createPageRenderer({ message: MESSAGE_TEMPLATE });

/** Sign-in outcomes, install outcomes, refusals: the pages a module shows when it has little to say. */
export function messagePage({ title, paragraphs, links = [], form, signedInAs }: MessagePage): string {
  return renderer.render('message', { title, signedInAs }, { paragraphs, links, form });
}
