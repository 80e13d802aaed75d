import { loadConfig, verificationKeyUrls } from '../../src/config';

describe('where an extracted service fetches its verification keys', () => {
  it('when nothing is set, then the monolith on PORT and the tokens service on its default URL', () => {
    expect(verificationKeyUrls(loadConfig({}))).toEqual(['http://127.0.0.1:3000/.well-known/jwks.json', 'http://127.0.0.1:3003/.well-known/jwks.json']);
  });

  it('when JEEVES_URL and TOKENS_SERVICE_URL are set, then their key sets, under any base path', () => {
    const config = loadConfig({ JEEVES_URL: 'https://jeeves.example/base/', TOKENS_SERVICE_URL: 'http://tokens:3000' });
    expect(verificationKeyUrls(config)).toEqual(['https://jeeves.example/base/.well-known/jwks.json', 'http://tokens:3000/.well-known/jwks.json']);
  });

  it('when only PORT is set, then the monolith on that port', () => {
    expect(verificationKeyUrls(loadConfig({ PORT: '4000' }))[0]).toBe('http://127.0.0.1:4000/.well-known/jwks.json');
  });

  it('when TOKENS_JWKS_URL is set, then it alone', () => {
    expect(verificationKeyUrls(loadConfig({ TOKENS_JWKS_URL: 'http://keys:8080/jwks', JEEVES_URL: 'http://web:3000' }))).toEqual(['http://keys:8080/jwks']);
  });

  it('when JEEVES_URL is not a URL, then start-up stops naming it', () => {
    expect(() => loadConfig({ JEEVES_URL: 'web:3000' })).toThrow(/^JEEVES_URL: /);
  });
});
