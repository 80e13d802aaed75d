/** `iss` of every service token: the tokens module issues with it, every service checks it. */
export const SERVICE_TOKEN_ISSUER = 'urn:jeeves:tokens';

/** The audience of admin routes: an operator holding the admin client's secret asks for it. */
export const ADMIN_AUDIENCE = 'admin';
