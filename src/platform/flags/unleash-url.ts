/**
 * UNLEASH_URL may name the server (http://localhost:4242) or its API (http://localhost:4242/api/),
 * as Unleash's own docs use both. This returns the API root, with a trailing slash, that
 * unleash-client wants and under which the admin API lives (admin/...).
 */
export function unleashApiUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  const base = trimmed.endsWith('/api') ? trimmed : `${trimmed}/api`;
  return `${base}/`;
}
