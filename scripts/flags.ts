import {
  createFileFlagAdmin,
  createUnleashFlagAdmin,
  InvalidFlagNameError,
  InvalidRolloutError,
  InvalidStickinessError,
  parseRollout,
  parseStickiness,
  validateFlagName,
  type FlagAdmin,
  type FlagState,
  type Stickiness,
} from '../src/platform/flags';
import { runAsCommand, type CliIo } from './cli';

/**
 * `npm run flags -- list | on NAME | off NAME | rollout NAME PCT [--stickiness userId|teamId|default]`
 *
 * Reads and flips flags in FLAGS_FILE (default flags.json), or, when UNLEASH_URL is set, in
 * Unleash through its admin API with UNLEASH_ADMIN_TOKEN (project "default", environment
 * UNLEASH_ENVIRONMENT or "development"). A running Jeeves picks the change up within its
 * refresh interval, without a restart.
 */
/** Bad usage: exit code 2. */
class CliError extends Error {}
/** Bad environment: exit code 1, like any other failure. */
class CliConfigError extends Error {}

const USAGE = [
  'usage: npm run flags -- <command>',
  '  list                          every flag, its state and rollout',
  '  on NAME                       switch NAME on (keeps its rollout; 100% when new)',
  '  off NAME                      switch NAME off (keeps its rollout for the next "on")',
  '  rollout NAME PCT [--stickiness userId|teamId|default]',
  '                                switch NAME on for PCT% (0-100) of users or teams, sticky',
  'Flags live in FLAGS_FILE (default flags.json), or in Unleash when UNLEASH_URL is set',
  '(with UNLEASH_ADMIN_TOKEN; UNLEASH_ENVIRONMENT defaults to development).',
].join('\n');

type Command =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'on' | 'off'; name: string }
  | { kind: 'rollout'; name: string; percentage: number; stickiness?: Stickiness };

function parseArgs(argv: string[]): Command {
  const words: string[] = [];
  let stickiness: Stickiness | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const inline = /^--stickiness=(.*)$/.exec(arg);
    if (inline || arg === '--stickiness') {
      const value = inline ? inline[1]! : argv[(i += 1)];
      if (value === undefined) throw new CliError('--stickiness needs a value: userId, teamId or default');
      stickiness = parseStickiness(value);
      continue;
    }
    if (arg.startsWith('--')) throw new CliError(`unknown option ${arg}\n${USAGE}`);
    words.push(arg);
  }
  const [command, ...rest] = words;
  const expect = (count: number, shape: string) => {
    if (rest.length !== count) throw new CliError(`usage: npm run flags -- ${shape}`);
  };
  if (stickiness !== undefined && command !== 'rollout') throw new CliError('--stickiness only goes with rollout');
  switch (command) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'list':
      expect(0, 'list');
      return { kind: 'list' };
    case 'on':
    case 'off':
      expect(1, `${command} NAME`);
      return { kind: command, name: validateFlagName(rest[0]!) };
    case 'rollout':
      expect(2, 'rollout NAME PCT [--stickiness userId|teamId|default]');
      return { kind: 'rollout', name: validateFlagName(rest[0]!), percentage: parseRollout(rest[1]!), stickiness };
    default:
      throw new CliError(`unknown command "${command}"\n${USAGE}`);
  }
}

/** The admin for the configured backend; exported so tests drive Unleash with the same code. */
export function flagAdminFromEnv(env: Record<string, string | undefined>): FlagAdmin {
  const url = env.UNLEASH_URL?.trim();
  if (!url) return createFileFlagAdmin(env.FLAGS_FILE?.trim() || 'flags.json');
  if (!/^https?:\/\/[^/]/.test(url)) throw new CliConfigError(`UNLEASH_URL must be an http(s) URL, got "${url}"`);
  const adminToken = env.UNLEASH_ADMIN_TOKEN?.trim();
  if (!adminToken) throw new CliConfigError('UNLEASH_ADMIN_TOKEN is required when UNLEASH_URL is set (an Unleash admin API token)');
  return createUnleashFlagAdmin({ url, adminToken, environment: env.UNLEASH_ENVIRONMENT?.trim() || 'development' });
}

const STICKY: Record<Stickiness, string> = {
  default: 'sticky per user, else per team',
  userId: 'sticky per user',
  teamId: 'sticky per team',
};

export function describeFlag(flag: FlagState): string {
  const others = flag.otherStrategies?.length ? `; also decided by ${flag.otherStrategies.join(', ')}` : '';
  if (!flag.enabled) return `${flag.name}: off (rollout ${flag.rollout}% when on${others})`;
  if (flag.rollout === 100) return `${flag.name}: on for everyone${others}`;
  return `${flag.name}: on for ${flag.rollout}% (${STICKY[flag.stickiness]})${others}`;
}

async function run(io: CliIo): Promise<void> {
  const command = parseArgs(io.argv);
  if (command.kind === 'help') {
    io.out(USAGE);
    return;
  }
  const admin = flagAdminFromEnv(io.env);
  switch (command.kind) {
    case 'list': {
      const flags = await admin.list();
      io.out(`${flags.length} flag${flags.length === 1 ? '' : 's'} in ${admin.target}`);
      for (const flag of flags) io.out(`  ${describeFlag(flag)}`);
      return;
    }
    case 'on':
    case 'off':
      io.out(describeFlag(await admin.setEnabled(command.name, command.kind === 'on')));
      return;
    case 'rollout':
      io.out(describeFlag(await admin.setRollout(command.name, command.percentage, command.stickiness)));
      return;
  }
}

/** Runs the command; resolves with the process exit code (0 ok, 1 failed, 2 bad usage). */
export async function runFlagsCli(io: CliIo): Promise<number> {
  try {
    await run(io);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.err(`error: ${message}`);
    const usage =
      err instanceof CliError ||
      err instanceof InvalidFlagNameError ||
      err instanceof InvalidRolloutError ||
      err instanceof InvalidStickinessError;
    return usage ? 2 : 1;
  }
}

if (require.main === module) runAsCommand(runFlagsCli);
