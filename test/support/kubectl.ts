import { spawnSync } from 'node:child_process';

/**
 * Suites that render manifests with `kubectl kustomize` run when kubectl answers. Without it
 * they are skipped with a loud banner, except under CI=true, where a missing kubectl is a failure.
 */
export function kubectlAvailable(): boolean {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0;
}

export function describeWithKubectl(name: string, body: () => void): void {
  if (kubectlAvailable()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs kubectl, which is not on PATH (CI=true makes that a failure)', () => {
        throw new Error('kubectl (with its built-in kustomize) is required under CI=true to render deploy/overlays/*');
      });
    });
    return;
  }
  const banner = `SKIPPED (no kubectl on PATH to render deploy/overlays): ${name}`;
  process.stderr.write(`\n${'!'.repeat(banner.length)}\n${banner}\n${'!'.repeat(banner.length)}\n`);
  const skipped = describe.skip;
  skipped(name, body);
}

/** `kubectl kustomize <dir>`: the rendered YAML, or a thrown error carrying kubectl's own message. */
export function kustomize(dir: string): string {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr || run.error?.message}`);
  return run.stdout;
}
