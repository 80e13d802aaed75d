import { allEntities } from '../src/infrastructure/tables';
import { createRoles } from '../src/modules/auth';
import { teamIdSchema, userIdSchema } from '../src/modules/users';
import { UsageError, type AdminCommand } from './admin-command';

/**
 * `npm run admin -- operator T0123ABCD U0123ABCD`: names an operator from the command line,
 * which is how a deployment on the single-token shortcut (no install, so no installer) gets
 * its first admin.
 */
export const operatorCommand: AdminCommand = {
  usage: 'operator <team id> <user id>',
  summary: 'make that Slack member an operator (every workspace, every admin page)',
  async run(args, { io, database }) {
    if (args.length !== 2) throw new UsageError('usage: npm run admin -- operator <team id> <user id>');
    const team = teamIdSchema.safeParse(args[0]);
    const user = userIdSchema.safeParse(args[1]);
    if (!team.success) throw new UsageError(`team id ${team.error.issues[0]!.message}`);
    if (!user.success) throw new UsageError(`user id ${user.error.issues[0]!.message}`);
    const roles = createRoles(await database(allEntities()));
    const added = await roles.grant({ teamId: team.data, userId: user.data, role: 'operator', grantedBy: 'command' });
    io.out(`${team.data}:${user.data} ${added ? 'is now an operator' : 'was an operator already'}`);
    return 0;
  },
};
