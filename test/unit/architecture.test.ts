import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The rules that make extraction real, checked over the import graph (imports only: what a
 * file does with what it imports is for review):
 * - src/, extracted/ and bench/ use a module only through its face;
 * - platform/ and the shared kernel import no module, and the kernel imports no platform;
 * - extracted/ imports only module faces, platform, the kernel, config and the service host
 *   (it wires; it has no rooms of its own to hold business rules);
 * - modules do not depend on each other in a cycle.
 */
const root = resolve(__dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (spec?.startsWith('.')) targets.push(resolve(dirname(file), spec));
  }
  return targets;
}

/** 'src/modules/users/users.service' → { module: 'users', rest: 'users.service' } */
function moduleOf(path: string): { module: string; rest: string } | undefined {
  const parts = relative(root, path).split(sep);
  if (parts[0] !== 'src' || parts[1] !== 'modules' || parts.length < 3) return undefined;
  return { module: parts[2]!, rest: parts.slice(3).join('/') };
}

const isFace = (rest: string) => rest === '' || rest === 'index' || rest === 'index.ts';

const under = (path: string, ...dirs: string[]) => relative(root, path).split(sep).slice(0, dirs.length).join('/') === dirs.join('/');
const asList = (found: Array<{ file: string; target: string }>) => found.map(({ file, target }) => `${relative(root, file)} -> ${relative(root, target)}`);

const sources = ['src', 'extracted', 'bench'].flatMap((dir) => {
  try {
    return tsFiles(join(root, dir));
  } catch {
    return [];
  }
});
const edges = sources.flatMap((file) => importsOf(file).map((target) => ({ file, target })));

describe('architecture', () => {
  it('finds the source files it checks', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it("when a file imports another module, then it imports only that module's face", () => {
    const offending = edges.filter(({ file, target }) => {
      const to = moduleOf(target);
      if (!to || isFace(to.rest)) return false;
      return moduleOf(file)?.module !== to.module;
    });
    expect(offending.map(({ file, target }) => `${relative(root, file)} -> ${relative(root, target)}`)).toEqual([]);
  });

  it('platform/ imports no module', () => {
    const offending = edges.filter(
      ({ file, target }) => relative(root, file).startsWith(`src${sep}platform`) && moduleOf(target) !== undefined,
    );
    expect(offending.map(({ file, target }) => `${relative(root, file)} -> ${relative(root, target)}`)).toEqual([]);
  });

  it('checks bench/ and extracted/ too', () => {
    expect(sources.some((file) => under(file, 'bench'))).toBe(true);
    expect(sources.some((file) => under(file, 'extracted'))).toBe(true);
  });

  it('the shared kernel imports no module and no platform', () => {
    const offending = edges.filter(({ file, target }) => under(file, 'src', 'kernel') && (moduleOf(target) !== undefined || under(target, 'src', 'platform')));
    expect(asList(offending)).toEqual([]);
  });

  it('extracted/ imports only module faces, platform, the kernel, config and the service host', () => {
    const allowed = (target: string) =>
      (moduleOf(target) !== undefined && isFace(moduleOf(target)!.rest)) ||
      under(target, 'src', 'platform') ||
      under(target, 'src', 'kernel') ||
      under(target, 'src', 'service-host') ||
      under(target, 'src', 'config') ||
      under(target, 'extracted');
    const offending = edges.filter(({ file, target }) => under(file, 'extracted') && !allowed(target));
    expect(asList(offending)).toEqual([]);
  });

  it('outbound HTTP goes through platform/http-transport: no global fetch, no node:http client (browser scripts aside)', () => {
    // The dashboard's asset scripts are sent to the browser and run there: fetch is theirs.
    const browserSide = (file: string) => under(file, 'src', 'modules', 'dashboard') && file.endsWith('assets.ts');
    const GLOBAL_FETCH = /(?<![\w$.])fetch\s*\(|globalThis\.fetch\b/;
    // A value import of node:http or node:https (a client); type-only imports are for servers' types.
    const HTTP_CLIENT = /^import\s+(?!type\s)[^;]*from\s+['"]node:https?['"]/m;
    const offending = sources
      .filter((file) => (under(file, 'src') || under(file, 'extracted')) && !browserSide(file))
      .filter((file) => {
        const source = readFileSync(file, 'utf8');
        return GLOBAL_FETCH.test(source) || HTTP_CLIENT.test(source);
      });
    expect(offending.map((file) => relative(root, file))).toEqual([]);
    // The rule sees a call where there is one.
    expect(sources.filter(browserSide).some((file) => GLOBAL_FETCH.test(readFileSync(file, 'utf8')))).toBe(true);
  });

  it('modules do not depend on each other in a cycle', () => {
    const graph = new Map<string, Set<string>>();
    for (const { file, target } of edges) {
      const from = moduleOf(file)?.module;
      const to = moduleOf(target)?.module;
      if (!from || !to || from === to) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
