import { Router } from 'express';

export const PAGES_STYLESHEET_PATH = '/assets/jeeves.css';

/** The pages' one stylesheet: plain, readable, and the same on every page. */
const STYLESHEET = `:root { color-scheme: light dark; --accent: #4a154b; --line: #c8c8c8; --bad: #b00020; --good: #1b6e2d; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; }
header.site { display: flex; justify-content: space-between; align-items: center; padding: 0.6rem 1.2rem; background: var(--accent); color: #fff; }
header.site a { color: #fff; }
.brand { font-weight: 700; text-decoration: none; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
section { border-top: 1px solid var(--line); padding: 0.8rem 0; }
h2 { font-size: 1.15rem; margin: 0.2rem 0 0.6rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0 0 0.6rem; }
dt { font-weight: 600; }
dd { margin: 0; }
form { display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; align-items: center; margin: 0.4rem 0; }
form.inline { display: inline-flex; margin: 0; }
label { font-weight: 600; }
input[type=text], input[type=time], select { font: inherit; padding: 0.25rem 0.4rem; border: 1px solid var(--line); border-radius: 4px; }
button { font: inherit; padding: 0.25rem 0.8rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: transparent; color: inherit; }
button.danger { background: var(--bad); border-color: var(--bad); }
.notice { padding: 0.5rem 0.8rem; border-left: 4px solid var(--good); background: rgba(27, 110, 45, 0.1); }
.error { padding: 0.5rem 0.8rem; border-left: 4px solid var(--bad); background: rgba(176, 0, 32, 0.1); }
.muted { opacity: 0.75; }
ul.reminders { list-style: none; padding: 0; margin: 0; }
ul.reminders li { display: flex; justify-content: space-between; gap: 1rem; padding: 0.3rem 0; border-bottom: 1px dotted var(--line); }
`;

/** Serves the stylesheet; mount at '/' (it answers PAGES_STYLESHEET_PATH only). */
export function pagesAssetsRouter(): Router {
  const router = Router();
  router.get(PAGES_STYLESHEET_PATH, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600');
    res.type('text/css').send(STYLESHEET);
  });
  return router;
}
