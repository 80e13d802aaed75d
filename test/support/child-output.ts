import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * Resolves with the first stdout line of a child process matching `pattern`; rejects if the
 * child exits first or the time runs out, saying what the child printed.
 */
export function lineFrom(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${buffer}; stderr: ${errors}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code ?? signal}) before printing ${pattern}; stdout: ${buffer}; stderr: ${errors}`));
    });
  });
}

/**
 * A real Jeeves process (`src/processes/<entry>.ts`, as npm start / npm run worker run it) with
 * what every such test sets: test mode, info logs as JSON on stdout, a free port, a data
 * directory and flags file of its own, no Unleash. `env` adds, overrides or (undefined) removes the rest.
 */
export function spawnJeevesProcess(entry: 'main' | 'worker' | 'service', dataDir: string, env: Record<string, string | undefined>, args: string[] = []): ChildProcess {
  const root = join(__dirname, '..', '..');
  // An undefined value leaves the variable out of the child's environment.
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'src/processes', `${entry}.ts`), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      // A free port: several such processes run on this machine at once.
      PORT: '0',
      JEEVES_DATA_DIR: dataDir,
      FLAGS_FILE: join(dataDir, 'flags.json'),
      UNLEASH_URL: '',
      ...env,
    },
  });
}
