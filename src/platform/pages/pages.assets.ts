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
main.wide { max-width: 84rem; }
nav.tabs ul { display: flex; flex-wrap: wrap; gap: 0.2rem; list-style: none; margin: 0 0 0.8rem; padding: 0; border-bottom: 2px solid var(--accent); }
nav.tabs a { display: block; padding: 0.35rem 0.9rem; border-radius: 4px 4px 0 0; text-decoration: none; color: inherit; }
nav.tabs a:hover, nav.tabs a:focus-visible { background: rgba(74, 21, 75, 0.12); }
nav.tabs a[aria-current=page] { background: var(--accent); color: #fff; font-weight: 600; }
.table-scroll { overflow-x: auto; }
table.admin { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
table.admin > thead > tr > th { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 2px solid var(--line); white-space: nowrap; }
table.admin > tbody > tr > th, table.admin > tbody > tr > td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid var(--line); }
table.admin > tbody > tr > th { font-size: 1.05rem; }
table.routes { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
table.routes th, table.routes td { padding: 0.1rem 0.5rem 0.1rem 0; text-align: left; white-space: nowrap; font-weight: normal; }
table.routes thead th { opacity: 0.75; }
table.routes tbody th { font-weight: 600; }
.placement-badge, .breaker { display: inline-block; padding: 0 0.5rem; border-radius: 999px; border: 1px solid var(--line); font-weight: 600; }
.placement-badge[data-value=remote] { background: var(--accent); border-color: var(--accent); color: #fff; }
.placement-badge[data-value=shadow] { border-color: var(--accent); border-style: dashed; }
.breaker[data-value=closed] { color: var(--good); border-color: var(--good); }
.breaker[data-value=open], .breaker[data-value=half-open] { color: var(--bad); border-color: var(--bad); }
form.placement { margin: 0; display: grid; grid-template-columns: minmax(0, 15rem); gap: 0.2rem; }
form.placement label + select, form.placement label + input { margin-bottom: 0.3rem; }
form.placement select, form.placement input { width: 100%; min-width: 0; }
form.placement button { justify-self: start; }
input[type=number] { font: inherit; width: 5rem; padding: 0.25rem 0.4rem; border: 1px solid var(--line); border-radius: 4px; }
:focus-visible { outline: 3px solid #1d6fd8; outline-offset: 2px; }
.audit code, ul.mismatches code { white-space: normal; word-break: break-word; }
ul.mismatches { margin: 0.3rem 0 0; padding-left: 1rem; font-size: 0.85rem; }
@media (max-width: 40rem) {
  main { padding: 0.8rem 0.7rem 2rem; }
  header.site { flex-wrap: wrap; gap: 0.3rem; }
  table.admin, table.admin > tbody, table.admin > tbody > tr, table.admin > tbody > tr > th, table.admin > tbody > tr > td { display: block; width: 100%; }
  table.admin > thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.admin > tbody > tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 0.8rem; padding: 0.3rem 0.6rem; }
  table.admin > tbody > tr > th, table.admin > tbody > tr > td { border: 0; padding: 0.3rem 0; }
  table.admin > tbody > tr > td[data-label]::before { content: attr(data-label); display: block; font-size: 0.8rem; font-weight: 600; opacity: 0.75; }
  .table-scroll table.routes { display: block; overflow-x: auto; }
}
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
