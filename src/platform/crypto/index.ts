/** Secrets at rest, module-agnostic: an AES-256-GCM keyring and where its keys come from. */
export { createKeyring, decodeKey, generateKey, keyIdOf, SealedValueUnreadableError, type Keyring, type UnreadableReason } from './keyring';
export { DEV_TOKEN_ENCRYPTION_KEY_FILE, resolveEncryptionKeyring, type ResolvedKeyring, type ResolveKeyringOptions } from './encryption-keys';
