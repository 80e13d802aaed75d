import { runAdminOperator, OPERATOR_USAGE } from './admin-operator';
import { runAsCommand, type CliIo } from './cli';

/** `npm run admin -- <command> ...`: a maintainer's commands on a deployment's data. */
interface Subcommand {
  usage: string;
  run(io: CliIo, args: string[]): Promise<number>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  operator: { usage: OPERATOR_USAGE, run: runAdminOperator },
};

const usage = () => ['usage: npm run admin -- <command>', ...Object.values(SUBCOMMANDS).map((command) => `  ${command.usage}`)].join('\n');

/** Resolves with the process exit code: 0 done, 1 failed, 2 bad usage. */
export async function runAdminCli(io: CliIo): Promise<number> {
  const [name, ...args] = io.argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!command) {
    io.err(`error: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(io, args);
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) runAsCommand(runAdminCli);
