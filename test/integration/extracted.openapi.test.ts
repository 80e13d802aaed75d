import { randomBytes } from 'node:crypto';
import { usersService } from '../../extracted/users/main';
import { weatherService } from '../../extracted/weather/main';
import { startOpenMeteoStandIn, type OpenMeteoStandIn } from '../../scripts/stand-ins/open-meteo.stand-in';
import { createUsersHttpClient } from '../../src/modules/users';
import { createWeatherHttpClient } from '../../src/modules/weather';
import { createOpenApiResponseValidator } from '../../src/platform/openapi';
import { exerciseUsersApi, startCheckingProxy, startExtracted, startTokensStack, type ExtractedStack, type TokensStack } from './extracted.support';

/**
 * Each service's /openapi.json describes what it really answers: every documented operation
 * is exercised through a proxy that checks each answer against the served document.
 */

const slackId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

/** Sorted, so a failure shows exactly which operations were missed or undocumented. */
const sorted = (values: Iterable<string>) => [...values].sort();

describe('the extracted users service /openapi.json', () => {
  let stack: ExtractedStack;
  beforeAll(async () => {
    stack = await startExtracted(usersService);
  });
  afterAll(() => stack?.close());

  it('documents its routes as OpenAPI 3.1 behind the service token, with the shared schemas as components', async () => {
    const doc = (await (await fetch(`${stack.service.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { scheme?: string }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/users/{teamId}/{userId}']?.get?.security).toEqual([{ serviceToken: [] }]);
    expect(doc.components.securitySchemes.serviceToken?.scheme).toBe('bearer');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['UserProfile', 'UserPage', 'UserLocation', 'Error']));
  });

  it('every documented operation, called for real, answers as documented, errors and 304s included', async () => {
    const users = createUsersHttpClient({ baseUrl: `${stack.checkedUrl}`, headers: stack.headers });
    const ref = { teamId: slackId('T'), userId: slackId('U') };
    await exerciseUsersApi(users, ref, { teamId: slackId('T'), userId: slackId('U') });
    // A revalidation: the ETag just received, sent back, answers 304 without a body.
    const url = `${stack.checkedUrl}/api/users/${ref.teamId}/${ref.userId}`;
    const first = await fetch(url, { headers: await stack.headers() });
    const again = await fetch(url, { headers: { ...(await stack.headers()), 'if-none-match': first.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
    // And a stranger: 401 is documented too.
    expect((await fetch(url)).status).toBe(401);
    // And, last, the member forgotten.
    await expect(users.forget(ref)).resolves.toBe(true);

    const validator = createOpenApiResponseValidator(await (await fetch(`${stack.service.url}/openapi.json`)).json());
    expect(sorted(stack.proxy.seen)).toEqual(sorted(validator.operations()));
    expect(stack.proxy.violations).toEqual([]);
  });
});

describe('the extracted weather service /openapi.json', () => {
  let openMeteo: OpenMeteoStandIn;
  let stack: ExtractedStack;
  beforeAll(async () => {
    openMeteo = await startOpenMeteoStandIn();
    stack = await startExtracted(weatherService, { WEATHER_API_URL: openMeteo.forecastUrl, GEOCODING_API_URL: openMeteo.geocodingUrl });
  });
  afterAll(async () => {
    await stack?.close();
    await openMeteo?.close();
  });

  it('every documented operation, called for real, answers as documented, errors included', async () => {
    const weather = createWeatherHttpClient({ baseUrl: stack.checkedUrl, headers: stack.headers, timeoutMs: 3000 });
    const paris = await weather.geocode('Paris');
    await weather.current(paris);
    await weather.currentFor('London');
    await expect(weather.geocode('Nowhere-at-all')).rejects.toMatchObject({ code: 'WEATHER.PLACE_NOT_FOUND' });
    await expect(weather.geocode(' ')).rejects.toMatchObject({ code: 'HTTP.VALIDATION' });

    const validator = createOpenApiResponseValidator(await (await fetch(`${stack.service.url}/openapi.json`)).json());
    expect(sorted(stack.proxy.seen)).toEqual(sorted(validator.operations()));
    expect(stack.proxy.violations).toEqual([]);
  });
});

describe('the extracted tokens service /openapi.json', () => {
  let tokens: TokensStack;
  beforeAll(async () => {
    tokens = await startTokensStack();
  });
  afterAll(() => tokens?.close());

  it('documents the token endpoint and the key set as open, and both answer as documented', async () => {
    const proxy = await startCheckingProxy(tokens.service.url);
    const secret = await tokens.register('documented', ['users']);
    const form = (body: string, auth = `documented:${secret}`) =>
      fetch(`${proxy.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
        body,
      });
    expect((await form('grant_type=client_credentials&audience=users')).status).toBe(200);
    expect((await form('grant_type=client_credentials&audience=users', 'documented:wrong')).status).toBe(401);
    expect((await form('grant_type=password')).status).toBe(400);
    expect((await fetch(`${proxy.url}/.well-known/jwks.json`)).status).toBe(200);

    const doc = (await (await fetch(`${tokens.service.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(doc.paths['/oauth/token']?.post?.security).toBeUndefined();
    expect(sorted(proxy.seen)).toEqual(['GET /.well-known/jwks.json', 'POST /oauth/token']);
    await proxy.close();
  });
});

describe('the response check', () => {
  const validator = createOpenApiResponseValidator({
    openapi: '3.1.0',
    paths: {
      '/things/{id}': {
        get: {
          responses: {
            200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            304: { description: 'not modified' },
          },
        },
      },
    },
    components: { schemas: { Thing: { type: 'object', properties: { id: { type: 'string' }, size: { type: 'integer' } }, required: ['id'] } } },
  });

  it('accepts a body that matches the referenced schema', () => {
    expect(validator.check({ method: 'GET', path: '/things/1', status: 200, body: { id: '1', size: 3 } })).toEqual([]);
  });

  it('names the field when a body contradicts the schema', () => {
    expect(validator.check({ method: 'GET', path: '/things/1', status: 200, body: { id: 1 } })).toEqual([expect.stringMatching(/^GET \/things\/\{id\} 200: id: /)]);
  });

  it('refuses an undocumented status, an undocumented route, and a body where none is documented', () => {
    expect(validator.check({ method: 'GET', path: '/things/1', status: 500, body: {} })).toEqual([expect.stringContaining('status 500 is not documented')]);
    expect(validator.check({ method: 'DELETE', path: '/things/1', status: 200, body: {} })).toEqual([expect.stringContaining('is not in the document')]);
    expect(validator.check({ method: 'GET', path: '/things/1', status: 304, body: { id: '1' } })).toEqual([expect.stringContaining('without a body')]);
  });
});
