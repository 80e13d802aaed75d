import type { Express } from 'express';
import request from 'supertest';
import { MONOLITH_CLIENT_ID } from '../../src/monolith/wire-switched-modules';

export const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A service token for `audience` from the app's POST /oauth/token, asked for as the monolith's client. */
export function monolithTokenFor(app: Express, secret: string, audience: string): Promise<string> {
  return clientTokenFor(app, MONOLITH_CLIENT_ID, secret, audience);
}

/** A service token for `audience` from the app's POST /oauth/token, asked for as `clientId`. */
export async function clientTokenFor(app: Express, clientId: string, secret: string, audience: string): Promise<string> {
  const res = await request(app)
    .post('/oauth/token')
    .set('authorization', basicAuth(clientId, secret))
    .type('form')
    .send({ grant_type: 'client_credentials', audience })
    .expect(200);
  return (res.body as { access_token: string }).access_token;
}
