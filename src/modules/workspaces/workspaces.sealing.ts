import { SealedValueUnreadableError, type Keyring } from '../../platform/crypto';
import { WorkspaceTokenUnreadableError } from './workspaces.errors';

export type TokenColumn = 'bot_token' | 'refresh_token';

/** The associated data: a sealed token opens only in its own row and column. */
const context = (teamId: string, column: TokenColumn) => `workspaces_installations.${column}:${teamId}`;

export interface TokenSealer {
  seal(teamId: string, column: TokenColumn, token: string): string;
  /** Throws WorkspaceTokenUnreadableError (WORKSPACES.TOKEN_UNREADABLE) naming why. */
  open(teamId: string, column: TokenColumn, sealed: string): string;
  /** True when the value was sealed with a key other than the current one. */
  isStale(sealed: string): boolean;
}

export function createTokenSealer(keyring: Keyring): TokenSealer {
  return {
    seal: (teamId, column, token) => keyring.seal(token, context(teamId, column)),
    open(teamId, column, sealed) {
      try {
        return keyring.open(sealed, context(teamId, column));
      } catch (err) {
        if (!(err instanceof SealedValueUnreadableError)) throw err;
        const why =
          err.reason === 'unknown-key'
            ? `its ${column} was sealed with key ${err.keyId}, which TOKEN_ENCRYPTION_KEY no longer holds (add it back after the current key, then run npm run admin -- reencrypt-tokens)`
            : `its ${column} does not authenticate (${err.reason}): the row was altered`;
        throw new WorkspaceTokenUnreadableError(teamId, why, err);
      }
    },
    isStale: (sealed) => keyring.keyIdOf(sealed) !== keyring.currentKeyId,
  };
}
