import { readOrCreateDevSecret } from '../dev-secret';
import type { Logger } from '../logger';
import { createKeyring, decodeKey, generateKey, type Keyring } from './keyring';

export const DEV_TOKEN_ENCRYPTION_KEY_FILE = 'dev-token-encryption-key';

export interface ResolvedKeyring {
  keyring: Keyring;
  /** True when TOKEN_ENCRYPTION_KEY was unset and the development key is in use. */
  development: boolean;
}

export interface ResolveKeyringOptions {
  /** TOKEN_ENCRYPTION_KEY as config.ts parsed it: base64 keys, the current one first. */
  configured?: readonly string[] | undefined;
  /** JEEVES_DATA_DIR: the development key lives in `<dataDir>/dev-token-encryption-key`. */
  dataDir: string;
  logger: Logger;
}

function keyringOf(encoded: readonly string[], where: string): Keyring {
  return createKeyring(
    encoded.map((value, i) => {
      const key = decodeKey(value);
      if (!key) throw new Error(`${where}: entry ${i + 1} is not 32 bytes of base64`);
      return key;
    }),
  );
}

/**
 * The keyring for secrets at rest: TOKEN_ENCRYPTION_KEY, or a development key kept on disk so
 * restarts (and `npm run admin`) read what an earlier run sealed. Production refuses to start
 * without a configured key (config.ts), so this fallback never reaches it.
 */
export async function resolveEncryptionKeyring({ configured, dataDir, logger }: ResolveKeyringOptions): Promise<ResolvedKeyring> {
  if (configured && configured.length > 0) return { keyring: keyringOf(configured, 'TOKEN_ENCRYPTION_KEY'), development: false };
  const { secret: key, path } = await readOrCreateDevSecret(dataDir, DEV_TOKEN_ENCRYPTION_KEY_FILE, generateKey);
  logger.warn({ path }, `TOKEN_ENCRYPTION_KEY is unset: sealing stored tokens with the development key in ${path}`);
  return { keyring: keyringOf([key], path), development: true };
}
