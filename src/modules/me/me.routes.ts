import { Router, type Request, type Response } from 'express';
import { toAppError } from '../../platform/errors';
import { createPageRenderer } from '../../platform/pages';
import type { Logger } from '../../platform/logger';
import type { AlertsService } from '../alerts';
import { SignInRequiredError, type Auth, type Member } from '../auth';
import { saveLocation } from '../bot';
import type { RemindersService } from '../reminders';
import type { UsersService } from '../users';
import type { WeatherService } from '../weather';
import { dataExport, pageModel, readMemberData, type Submitted } from './me.model';
import { ME_TEMPLATES } from './me.views';

export const ME_PATH = '/me';

export interface MeRouterOptions {
  auth: Pick<Auth, 'requireSession' | 'currentMember' | 'csrfToken' | 'forget' | 'signOut'>;
  /** The users module as the bot sees it (a saved location moves the daily alert too). */
  users: UsersService;
  weather: WeatherService;
  reminders: Pick<RemindersService, 'list' | 'timezoneFor' | 'cancel' | 'forget'>;
  alerts: Pick<AlertsService, 'get' | 'enable' | 'disable' | 'forget'>;
  logger: Logger;
  now?: () => Date;
}

/** Where a change lands: back on the page, with one of these notices (never text from the request). */
const NOTICES = {
  location: 'Location saved.',
  'location-unset': 'Location removed.',
  setting: 'Setting saved.',
  unset: 'Setting removed.',
  cancelled: 'Reminder cancelled.',
  'alerts-on': 'Daily alert on.',
  'alerts-off': 'Daily alert off.',
} as const;
type Notice = keyof typeof NOTICES;

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** A refusal the member can put right: the page again, the error said, what they typed kept. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly submitted: Submitted,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * The signed-in member's page and its forms. Whose data it is comes from the session only:
 * no form field or path names a member. Every change goes through the modules' faces, the same
 * calls the chat commands make.
 */
export function createMeRouter(options: MeRouterOptions): Router {
  const { auth, users, weather, reminders, alerts, logger } = options;
  const now = options.now ?? (() => new Date());
  const pages = createPageRenderer(ME_TEMPLATES);
  const router = Router();
  const member = (req: Request): Member => auth.currentMember(req)!;

  async function page(req: Request, res: Response, status: number, frame: { notice?: string; error?: string }, submitted: Submitted = {}) {
    const who = member(req);
    const data = await readMemberData({ users, reminders, alerts }, who);
    res.set('Cache-Control', 'no-store');
    res.status(status).type('html').send(pages.render('me', { title: 'What Jeeves knows about you', signedInAs: who.name ?? who.userId, ...frame }, pageModel(data, auth.csrfToken(req), submitted)));
  }

  /** Runs a change; a refusal (or a module's 4xx) shows the page again, anything else is the app's error. */
  const change = (run: (req: Request, who: Member) => Promise<Notice>, submittedOf: (req: Request) => Submitted = () => ({})) =>
    async (req: Request, res: Response) => {
      let notice: Notice;
      try {
        notice = await run(req, member(req));
      } catch (err) {
        if (err instanceof Refusal) return page(req, res, err.status, { error: err.message }, err.submitted);
        const error = toAppError(err);
        if (error.status >= 500) throw err;
        logger.debug({ code: error.code }, 'a change on /me was refused');
        return page(req, res, error.status, { error: error.message }, submittedOf(req));
      }
      res.redirect(303, `${ME_PATH}?notice=${notice}`);
    };

  // /me/data.json answers a stranger 401 (a download, not a page to be sent to sign in from).
  router.get(`${ME_PATH}/data.json`, async (req, res) => {
    const who = auth.currentMember(req);
    if (!who) throw new SignInRequiredError();
    const data = await readMemberData({ users, reminders, alerts }, who);
    res.set('Cache-Control', 'no-store');
    res.attachment('jeeves-my-data.json').json(dataExport(data, now()));
  });

  router.use(ME_PATH, auth.requireSession);

  router.get(ME_PATH, async (req, res) => {
    const key = typeof req.query.notice === 'string' ? req.query.notice : '';
    await page(req, res, 200, Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key as Notice] } : {});
  });

  router.post(
    `${ME_PATH}/location`,
    change(async (req, who) => {
      const place = field(req, 'place');
      if (place === '') throw new Refusal('Type the name of a place, e.g. Paris.', { place });
      const result = await saveLocation({ users, weather }, who, place);
      if ('refused' in result) {
        throw new Refusal(result.refused === 'too-long' ? `That place name is too long: at most ${result.maxLength} characters.` : `No place called “${place}” was found.`, { place });
      }
      return 'location';
    }),
  );

  router.post(
    `${ME_PATH}/location/unset`,
    change(async (_req, who) => {
      await users.unsetLocation(who);
      return 'location-unset';
    }),
  );

  const settingOf = (req: Request) => ({ setting: { key: field(req, 'key'), value: field(req, 'value') } });
  router.post(
    `${ME_PATH}/settings`,
    change(async (req, who) => {
      const { setting } = settingOf(req);
      if (setting.value === '') throw new Refusal(`Type a value for ${setting.key}, or unset it.`, { setting });
      await users.setSetting(who, setting.key, setting.value);
      return 'setting';
    }, settingOf),
  );

  router.post(
    `${ME_PATH}/settings/unset`,
    change(async (req, who) => {
      await users.unsetSetting(who, field(req, 'key'));
      return 'unset';
    }),
  );

  router.post(
    `${ME_PATH}/reminders/:id/cancel`,
    change(async (req, who) => {
      await reminders.cancel(who, String(req.params.id));
      return 'cancelled';
    }),
  );

  const alertsOf = (req: Request): Submitted => ({ alertsEnabled: field(req, 'enabled'), alertTime: field(req, 'time') });
  router.post(
    `${ME_PATH}/alerts`,
    change(async (req, who) => {
      const { alertsEnabled, alertTime } = alertsOf(req);
      if (alertsEnabled === 'off') {
        await alerts.disable(who);
        return 'alerts-off';
      }
      if (alertsEnabled !== 'on') throw new Refusal('Choose on or off.', alertsOf(req));
      // Posted where `alerts on` was last said, else to the member's DM with Jeeves (a user id is a channel to chat.postMessage).
      const channel = (await alerts.get(who))?.channelId ?? who.userId;
      await alerts.enable(who, channel, alertTime === '' ? undefined : alertTime);
      return 'alerts-on';
    }, alertsOf),
  );

  router.post(`${ME_PATH}/forget`, async (req, res) => {
    if (field(req, 'confirm') !== 'yes') return page(req, res, 400, { error: 'Tick the box to confirm: forgetting cannot be undone.' });
    const who = member(req);
    const ref = { teamId: who.teamId, userId: who.userId };
    // Each module deletes its own rows; auth last, as it ends the session this request runs in.
    await Promise.all([users.forget(ref), reminders.forget(ref), alerts.forget(ref)]);
    await auth.forget(ref);
    await auth.signOut(req, res);
    logger.info(ref, 'member forgotten at their request');
    res.set('Cache-Control', 'no-store');
    res.type('html').send(pages.render('forgotten', { title: 'Forgotten' }, {}));
  });

  return router;
}
