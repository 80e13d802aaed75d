import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LessThan, type DataSource } from 'typeorm';
import { installStateEntity } from './workspaces.entities';
import { InstallStateError } from './workspaces.errors';

/**
 * The `state` of "Add to Slack": random, single use, short-lived and bound to the browser that
 * asked for it (a cookie holding a random value; only its hash is stored with the state), so a
 * link started elsewhere, or a callback replayed, installs nothing.
 */
export interface InstallStates {
  issue(browser: string): Promise<string>;
  /** Spends the state; throws InstallStateError unless it was issued here, to this browser, and is unexpired. */
  consume(state: string | undefined, browser: string | undefined): Promise<void>;
}

export const INSTALL_STATE_TTL_MS = 10 * 60_000;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function createInstallStates({ dataSource, clock }: { dataSource: DataSource; clock: () => number }): InstallStates {
  const states = () => dataSource.getRepository(installStateEntity);
  return {
    async issue(browser) {
      const now = clock();
      const state = randomBytes(32).toString('base64url');
      // Abandoned installs leave states behind; each new one sweeps the expired.
      await states().delete({ expiresAt: LessThan(new Date(now)) });
      await states().insert({ stateHash: sha256(state).toString('hex'), browserHash: sha256(browser).toString('hex'), expiresAt: new Date(now + INSTALL_STATE_TTL_MS) });
      return state;
    },

    async consume(state, browser) {
      if (!state) throw new InstallStateError('missing');
      // Deleted as it is read: of two callbacks racing with one state, only one finds it.
      const [rows] = (await dataSource.query(`DELETE FROM workspaces_install_states WHERE state_hash = $1 RETURNING browser_hash, expires_at`, [
        sha256(state).toString('hex'),
      ])) as [Array<{ browser_hash: string; expires_at: Date }>, number];
      const row = rows[0];
      if (!row) throw new InstallStateError('unknown');
      if (row.expires_at.getTime() <= clock()) throw new InstallStateError('expired');
      if (!browser || !timingSafeEqual(Buffer.from(row.browser_hash, 'hex'), sha256(browser))) throw new InstallStateError('other-browser');
    },
  };
}
