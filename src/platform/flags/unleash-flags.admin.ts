import { z } from 'zod';
import { validateFlagName, type FlagAdmin } from './flags.admin';
import { UnleashRequestError } from './flags.errors';
import { STICKINESS, type FlagState, type Stickiness } from './flags.types';
import { createUnleashAdminHttp, type UnleashAdminHttpOptions } from './unleash-admin.http';
import { summarizeUnleashFlag, type UnleashStrategy } from './unleash-summary';

export interface UnleashFlagAdminOptions extends UnleashAdminHttpOptions {
  project?: string;
  environment?: string;
}

const strategySchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  constraints: z.array(z.unknown()).optional(),
  segments: z.array(z.unknown()).optional(),
  disabled: z.boolean().nullable().optional(),
});
const featureSchema = z.object({
  name: z.string(),
  environments: z.array(z.object({ name: z.string(), enabled: z.boolean(), strategies: z.array(strategySchema).default([]) })),
});
const featureListSchema = z.object({ features: z.array(z.object({ name: z.string() })) });
type Feature = z.infer<typeof featureSchema>;

/** Flags in Unleash (project `default`, environment `development` unless told otherwise). */
export function createUnleashFlagAdmin(options: UnleashFlagAdminOptions): FlagAdmin {
  const http = createUnleashAdminHttp(options);
  const project = encodeURIComponent(options.project ?? 'default');
  const environment = options.environment ?? 'development';
  const featurePath = (name: string) => `projects/${project}/features/${encodeURIComponent(name)}`;
  const envPath = (name: string) => `${featurePath(name)}/environments/${encodeURIComponent(environment)}`;

  const getFeature = async (name: string): Promise<Feature | undefined> => {
    const body = await http.request('GET', featurePath(name), { allow404: true });
    return body === undefined ? undefined : featureSchema.parse(body);
  };

  const strategiesOf = (feature: Feature) => {
    const env = feature.environments.find((e) => e.name === environment);
    if (!env) {
      throw new UnleashRequestError('GET', `/api/admin/${featurePath(feature.name)}`, 404, `project has no environment "${environment}"`);
    }
    return env;
  };

  const summary = async (name: string): Promise<FlagState> => {
    const env = strategiesOf((await getFeature(name))!);
    return summarizeUnleashFlag(name, env.enabled, env.strategies as UnleashStrategy[]);
  };

  const ensureFeature = async (name: string): Promise<Feature> => {
    validateFlagName(name);
    const existing = await getFeature(name);
    if (existing) return existing;
    const created = { name, type: 'release', description: 'Created by `npm run flags`.', impressionData: false };
    try {
      await http.request('POST', `projects/${project}/features`, { body: created });
    } catch (err) {
      // Someone created it since we looked: fine, it exists.
      if (!(err instanceof UnleashRequestError && err.httpStatus === 409)) throw err;
    }
    return (await getFeature(name))!;
  };

  /** Lets Unleash's UI offer teamId as a stickiness; a 409 means it is there already. */
  const ensureTeamIdContext = async () => {
    try {
      await http.request('POST', 'context', {
        body: { name: 'teamId', description: 'Slack team (workspace) id, set by Jeeves', stickiness: true },
      });
    } catch (err) {
      if (!(err instanceof UnleashRequestError && err.httpStatus === 409)) throw err;
    }
  };

  const rolloutStrategy = (name: string, percentage: number, stickiness: Stickiness) => ({
    name: 'flexibleRollout',
    parameters: { rollout: String(percentage), stickiness, groupId: name },
    constraints: [],
  });

  return {
    target: `Unleash ${options.url} (project ${options.project ?? 'default'}, environment ${environment})`,
    async list() {
      const body = featureListSchema.parse(await http.request('GET', `projects/${project}/features`));
      const states = await Promise.all(body.features.map((f) => summary(f.name)));
      return states.sort((a, b) => a.name.localeCompare(b.name));
    },
    async setEnabled(name, enabled) {
      const env = strategiesOf(await ensureFeature(name));
      // Unleash would add a 100% rollout itself; doing it here keeps on/off/rollout predictable.
      if (enabled && env.strategies.length === 0) {
        await http.request('POST', `${envPath(name)}/strategies`, { body: rolloutStrategy(name, 100, 'default') });
      }
      await http.request('POST', `${envPath(name)}/${enabled ? 'on' : 'off'}`);
      return summary(name);
    },
    async setRollout(name, percentage, stickiness) {
      const env = strategiesOf(await ensureFeature(name));
      if (stickiness === 'teamId') await ensureTeamIdContext();
      const [keep, ...others] = [
        ...env.strategies.filter((s) => s.name === 'flexibleRollout'),
        ...env.strategies.filter((s) => s.name !== 'flexibleRollout'),
      ];
      const kept = keep?.name === 'flexibleRollout' ? String(keep.parameters?.stickiness ?? '') : '';
      const current = (STICKINESS as readonly string[]).includes(kept) ? (kept as Stickiness) : undefined;
      const body = rolloutStrategy(name, percentage, stickiness ?? current ?? 'default');
      if (keep?.name === 'flexibleRollout' && keep.id) {
        await http.request('PUT', `${envPath(name)}/strategies/${keep.id}`, { body });
      } else {
        await http.request('POST', `${envPath(name)}/strategies`, { body });
        if (keep) others.push(keep);
      }
      // Unleash ORs strategies: any other one would let more than `percentage` in.
      for (const s of others) {
        if (s.id) await http.request('DELETE', `${envPath(name)}/strategies/${s.id}`);
      }
      await http.request('POST', `${envPath(name)}/on`);
      return summary(name);
    },
  };
}
