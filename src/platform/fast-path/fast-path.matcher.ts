/**
 * Which declared route a raw request's path is, decided without Express's router. It only
 * accepts what the router would match the same way: exact case, no empty segment, no
 * trailing slash, no percent-encoding (the router decodes params and ignores a trailing slash).
 */

const SLASH = 47;
const PERCENT = /%/;

/** A route path compiled for matching: literal segments, and undefined where a param goes. */
export interface CompiledPath<T> {
  value: T;
  segments: Array<string | undefined>;
  names: string[];
  /** What the router leaves in req.route (the metrics label reads its path). */
  route: { path: string };
}

export interface PathMatch<T> {
  compiled: CompiledPath<T>;
  params: Record<string, string>;
}

/** Whether a path starts with the URL, as the router's prefix match of a mount finds it. */
export function isUnder(pathname: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return pathname.startsWith(prefix) && (pathname.length === prefix.length || pathname.charCodeAt(prefix.length) === SLASH);
}

export function isAbsolutePath(url: string): boolean {
  return url.charCodeAt(0) === SLASH;
}

/** `path` as a router route is written: literal segments and `:name` params, '/' for the mount itself. */
export function compilePath<T>(path: string, value: T): CompiledPath<T> {
  const parts = path === '/' ? [] : path.slice(1).split('/');
  return {
    value,
    segments: parts.map((p) => (p.startsWith(':') ? undefined : p)),
    names: parts.filter((p) => p.startsWith(':')).map((p) => p.slice(1)),
    route: { path },
  };
}

/** The first compiled path that `rest` (the path under the mount) matches, with its params. */
export function matchPath<T>(paths: Array<CompiledPath<T>>, rest: string): PathMatch<T> | undefined {
  if (PERCENT.test(rest)) return undefined;
  const parts = rest === '' ? [] : rest.slice(1).split('/');
  for (const compiled of paths) {
    const { segments, names } = compiled;
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let n = 0;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i]!;
      const literal = segments[i];
      if (part === '') ok = false;
      else if (literal === undefined) params[names[n++]!] = part;
      else ok = literal === part;
    }
    if (ok) return { compiled, params };
  }
  return undefined;
}
