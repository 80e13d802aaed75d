import { createLogger, type Logger } from '../../platform/logger';
import type { Clock } from '../../platform/service-auth';
import { createMemoryTokensStore } from './tokens.memory-store';
import { buildTokensService } from './tokens.service';
import type { TokensService } from './tokens.types';

export interface FakeTokensServiceOptions {
  issuer?: string;
  tokenTtlSeconds?: number;
  keyEncryptionSecret?: string;
  clock?: Clock;
  logger?: Logger;
}

/** The real service logic (real keys, real JWTs) over an in-memory store: for unit tests. */
export function createFakeTokensService(options: FakeTokensServiceOptions = {}): TokensService {
  const { issuer = 'urn:jeeves:tokens', logger = createLogger({ level: 'silent' }), ...rest } = options;
  return buildTokensService(createMemoryTokensStore(), { issuer, logger, ...rest });
}
