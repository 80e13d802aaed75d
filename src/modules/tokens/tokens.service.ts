import type { Keyring as SealingKeyring } from '../../platform/crypto';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ValidationError } from '../../platform/errors';
import { moduleLogger, type Logger } from '../../platform/logger';
import { systemClock, type Clock } from '../../platform/service-auth';
import { ClientExistsError, InvalidAudienceError, InvalidClientError, InvalidTokenRequestError } from './tokens.errors';
import { createKeyring } from './tokens.keyring';
import { createTokensRepository } from './tokens.repository';
import { generateClientSecret, hashSecret, UNKNOWN_CLIENT_HASH, verifySecret } from './tokens.secrets';
import type { TokensStore } from './tokens.store';
import type { TokensService } from './tokens.types';

export interface TokensServiceOptions {
  dataSource: DataSource;
  logger: Logger;
  /** `iss` of every token, e.g. the tokens service's base URL. */
  issuer: string;
  /** Life of an access token; short, since callers refresh them freely. */
  tokenTtlSeconds?: number;
  /** Seals private signing keys at rest: the deployment's TOKEN_ENCRYPTION_KEY keyring. */
  keysAtRest?: SealingKeyring;
  /** An older way to seal them (a scrypt-derived key): still read, and used only without a keyring. */
  keyEncryptionSecret?: string;
  clock?: Clock;
}

const registration = z.object({
  clientId: z.string().regex(/^[\w.:-]{1,128}$/, 'letters, digits and . _ : - only, at most 128'),
  audiences: z.array(z.string().regex(/^[\w.:/-]{1,200}$/, 'letters, digits and . _ : / - only')).min(1, 'at least one audience'),
  secret: z.string().min(32, 'a provisioned secret needs at least 32 characters').optional(),
});

/** The service over any store: PostgreSQL for real, memory for createFakeTokensService. */
export function buildTokensService(store: TokensStore, options: Omit<TokensServiceOptions, 'dataSource'>): TokensService {
  const { issuer, tokenTtlSeconds = 300, keyEncryptionSecret, keysAtRest, clock = systemClock } = options;
  const logger = moduleLogger(options.logger, 'tokens');
  const keyring = createKeyring({ store, clock, tokenTtlSeconds, sealing: { keyring: keysAtRest, secret: keyEncryptionSecret }, logger });

  return {
    async registerClient(clientId, audiences, { secret } = {}) {
      const parsed = registration.safeParse({ clientId, audiences, secret });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ValidationError(`${issue.path.join('.')}: ${issue.message}`, parsed.error.issues);
      }
      const clientSecret = secret ?? generateClientSecret();
      const unique = [...new Set(audiences)];
      const inserted = await store.insertClient({
        clientId,
        secretHash: await hashSecret(clientSecret),
        allowedAudiences: unique,
        createdAt: new Date(clock()),
        revokedAt: null,
      });
      if (!inserted) throw new ClientExistsError(clientId);
      logger.info({ clientId, audiences: unique }, 'tokens: client registered');
      return { clientId, clientSecret, audiences: unique };
    },

    async ensureClient(clientId, audiences, secret, { overwrite = true } = {}) {
      const parsed = registration.safeParse({ clientId, audiences, secret });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ValidationError(`${issue.path.join('.')}: ${issue.message}`, parsed.error.issues);
      }
      const unique = [...new Set(audiences)].sort();
      const existing = await store.findClient(clientId);
      if (existing) {
        const sameSecret = await verifySecret(secret, existing.secretHash);
        const sameAudiences = [...existing.allowedAudiences].sort().join(' ') === unique.join(' ');
        if (sameSecret && sameAudiences && !existing.revokedAt) return 'unchanged';
        if (!sameSecret && !overwrite) return 'conflict';
      }
      await store.upsertClient({ clientId, secretHash: await hashSecret(secret), allowedAudiences: unique, createdAt: new Date(clock()), revokedAt: null });
      logger.info({ clientId, audiences: unique }, existing ? 'tokens: client updated' : 'tokens: client registered');
      return existing ? 'updated' : 'created';
    },

    async revokeClient(clientId) {
      const revoked = await store.revokeClient(clientId, new Date(clock()));
      if (revoked) logger.info({ clientId }, 'tokens: client revoked');
      return revoked;
    },

    async issueToken({ clientId, clientSecret, audience }) {
      if (!audience) throw new InvalidTokenRequestError('audience is required: name the service the token is for.');
      const client = clientId ? await store.findClient(clientId) : null;
      // Always one scrypt, known client or not, so timing does not say which ids exist.
      const secretMatches = await verifySecret(clientSecret ?? '', client?.secretHash ?? UNKNOWN_CLIENT_HASH);
      if (!client || client.revokedAt !== null || !secretMatches) throw new InvalidClientError();
      if (!client.allowedAudiences.includes(audience)) throw new InvalidAudienceError(audience);

      const { kid, alg, key } = await keyring.signingKey();
      const issuedAt = Math.floor(clock() / 1000);
      const accessToken = await new SignJWT({ client_id: clientId })
        .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setSubject(clientId)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + tokenTtlSeconds)
        .setJti(randomUUID())
        .sign(key);
      logger.debug({ clientId, audience, kid }, 'tokens: token issued');
      return { access_token: accessToken, token_type: 'Bearer', expires_in: tokenTtlSeconds };
    },

    jwks: () => keyring.jwks(),
    ensureActiveKey: () => keyring.ensureActiveKey(),
    rotateKeys: () => keyring.rotate(),
  };
}

/** The tokens service on PostgreSQL (tables tokens_clients and tokens_signing_keys). */
export function createTokensService({ dataSource, ...options }: TokensServiceOptions): TokensService {
  return buildTokensService(createTokensRepository(dataSource), options);
}
