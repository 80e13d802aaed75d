/**
 * The member's page (/me): what Jeeves knows about the signed-in member, editable, downloadable
 * and forgettable. Pages only: it owns no table and no rule, and reads and changes everything
 * through the users, weather, reminders, alerts and auth faces.
 */
export { createMeRouter, type MeRouterOptions } from './me.routes';
