import { createFakeTokensService } from '../../src/modules/tokens';

/** Clients provisioned from configuration: ensureClient makes the stored client match it. */
const S1 = 'first-provisioned-secret-of-at-least-32-chars';
const S2 = 'second-provisioned-secret-of-at-least-32-char';

const issue = (tokens: ReturnType<typeof createFakeTokensService>, secret: string) =>
  tokens.issueToken({ clientId: 'svc', clientSecret: secret, audience: 'users' });

describe('tokens service: ensureClient', () => {
  it('when the client is missing, then it is created with that secret', async () => {
    const tokens = createFakeTokensService();
    await expect(tokens.ensureClient('svc', ['users'], S1)).resolves.toBe('created');
    await expect(issue(tokens, S1)).resolves.toMatchObject({ token_type: 'Bearer' });
  });

  it('when nothing differs, then nothing changes', async () => {
    const tokens = createFakeTokensService();
    await tokens.ensureClient('svc', ['users', 'weather'], S1);
    await expect(tokens.ensureClient('svc', ['weather', 'users'], S1)).resolves.toBe('unchanged');
  });

  it('when the secret differs and overwriting is allowed, then the new secret replaces the old', async () => {
    const tokens = createFakeTokensService();
    await tokens.ensureClient('svc', ['users'], S1);
    await expect(tokens.ensureClient('svc', ['users'], S2)).resolves.toBe('updated');
    await expect(issue(tokens, S2)).resolves.toMatchObject({ token_type: 'Bearer' });
    await expect(issue(tokens, S1)).rejects.toMatchObject({ code: 'TOKENS.INVALID_CLIENT' });
  });

  it('when the secret differs and overwriting is not allowed, then the stored client is kept and a conflict reported', async () => {
    const tokens = createFakeTokensService();
    await tokens.ensureClient('svc', ['users'], S1);
    await expect(tokens.ensureClient('svc', ['users'], S2, { overwrite: false })).resolves.toBe('conflict');
    await expect(issue(tokens, S1)).resolves.toMatchObject({ token_type: 'Bearer' });
  });

  it('when the client was revoked, then ensuring it makes it live again', async () => {
    const tokens = createFakeTokensService();
    await tokens.ensureClient('svc', ['users'], S1);
    await tokens.revokeClient('svc');
    await expect(tokens.ensureClient('svc', ['users'], S1)).resolves.toBe('updated');
    await expect(issue(tokens, S1)).resolves.toMatchObject({ token_type: 'Bearer' });
  });

  it('when the secret is too short, then it is refused as a validation error', async () => {
    const tokens = createFakeTokensService();
    await expect(tokens.ensureClient('svc', ['users'], 'short')).rejects.toMatchObject({ code: 'HTTP.VALIDATION' });
  });
});
