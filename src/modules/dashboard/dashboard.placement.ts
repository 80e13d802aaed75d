import { z } from 'zod';
import type { FlagAdmin, FlagState } from '../../platform/flags';
import type { Placement } from './dashboard.types';

/** Where a module answers, as its two flags say it: a placement and the share of calls it takes. */
export interface PlacementSetting {
  placement: Placement;
  rollout: number;
}

const rolloutMessage = 'Rollout must be a whole number from 0 to 100.';

/** A placement form or JSON body: `placement` and `rollout` (required unless local). */
export const placementChangeSchema = z
  .object({
    placement: z.enum(['local', 'shadow', 'remote'], { message: 'Placement must be local, shadow or remote.' }),
    rollout: z.preprocess(
      (v) => (v === '' || v === undefined ? undefined : typeof v === 'string' ? Number(v) : v),
      z.number({ message: rolloutMessage }).int(rolloutMessage).min(0, rolloutMessage).max(100, rolloutMessage).optional(),
    ),
  })
  .transform((v, ctx): PlacementSetting => {
    if (v.placement === 'local') return { placement: 'local', rollout: 0 };
    if (v.rollout === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rollout'], message: rolloutMessage });
      return z.NEVER;
    }
    return { placement: v.placement, rollout: v.rollout };
  });

export const remoteFlag = (module: string): string => `${module}-remote`;
export const shadowFlag = (module: string): string => `${module}-shadow`;

const share = (flag: FlagState | undefined): number => (flag?.enabled ? flag.rollout : 0);

/** The placement the flag backend holds for `module` (remote wins over shadow, as the switch decides). */
export function placementOf(flags: readonly FlagState[], module: string): PlacementSetting {
  const remote = share(flags.find((f) => f.name === remoteFlag(module)));
  if (remote > 0) return { placement: 'remote', rollout: remote };
  const shadow = share(flags.find((f) => f.name === shadowFlag(module)));
  if (shadow > 0) return { placement: 'shadow', rollout: shadow };
  return { placement: 'local', rollout: 0 };
}

/**
 * Writes both of the module's flags: the chosen one at the rollout, the other at 0 (local: both
 * at 0). Stickiness is kept. The flag being lowered goes first, so no moment has both on.
 */
export async function writePlacement(admin: Pick<FlagAdmin, 'setRollout'>, module: string, { placement, rollout }: PlacementSetting): Promise<void> {
  const remote = placement === 'remote' ? rollout : 0;
  const shadow = placement === 'shadow' ? rollout : 0;
  if (placement === 'remote') {
    await admin.setRollout(shadowFlag(module), shadow);
    await admin.setRollout(remoteFlag(module), remote);
  } else {
    await admin.setRollout(remoteFlag(module), remote);
    await admin.setRollout(shadowFlag(module), shadow);
  }
}

const settingSchema = z.object({ placement: z.enum(['local', 'shadow', 'remote']), rollout: z.number().int().min(0).max(100) });

/** POST /api/admin/modules/:name/placement's answer. */
export const placementChangeResponseSchema = z.object({ module: z.string(), before: settingSchema, after: settingSchema, flagsTarget: z.string() });
