/** What a command-line script sees of its process, so tests can run it in-process and read what it wrote. */
export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs a script's entry point on the real process: its arguments and environment, stdout and stderr, its exit code. */
export function runAsCommand(run: (io: CliIo) => Promise<number>): void {
  void run({
    argv: process.argv.slice(2),
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
