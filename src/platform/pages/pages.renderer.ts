import { Eta } from 'eta';
import { PAGES_STYLESHEET_PATH } from './pages.assets';
import { LAYOUT_TEMPLATE } from './pages.layout';

/** What the layout shows around a page's body. */
export interface PageFrame {
  title: string;
  signedInAs?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  /** A wider main column, for pages of tables (the admin pages). */
  wide?: boolean | undefined;
  /** External scripts of this site (never inline: the CSP forbids it), loaded deferred. */
  scripts?: string[] | undefined;
}

export interface PageRenderer {
  /** Renders a template registered under `name` with `data`, inside the shared layout. */
  render(name: string, frame: PageFrame, data: object): string;
}

/**
 * Eta over named templates kept in TypeScript (so the build and the image carry them with the
 * code, no file lookup at run time). Escaping is on: a value reaches the page as text.
 */
export function createPageRenderer(templates: Record<string, string>): PageRenderer {
  const eta = new Eta({ autoEscape: true, useWith: false, cache: true });
  eta.loadTemplate('@layout', LAYOUT_TEMPLATE);
  for (const [name, template] of Object.entries(templates)) eta.loadTemplate(`@${name}`, template);
  return {
    render(name, frame, data) {
      const body = eta.render(`@${name}`, { ...data, ...frame });
      return eta.render('@layout', { ...frame, scripts: frame.scripts ?? [], stylesheet: PAGES_STYLESHEET_PATH, body });
    },
  };
}
