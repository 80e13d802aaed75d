import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import type { IContainer, IPodSpec, IPodTemplateSpec } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { EXTRACTABLE_MODULES, loadConfig, WORKER_QUEUES } from '../../src/config';
import { STOP_TEARDOWN_MS } from '../../src/platform/lifecycle';
import { describeWithKubectl, kustomize } from '../support/kubectl';

/**
 * deploy/ rendered as `kubectl apply -k` would send it, each document checked against the
 * Kubernetes (and KEDA) schemas, and the rules every Jeeves workload must keep asserted over
 * the whole render: probes, grace, security context, resources, one image, disruption budgets,
 * autoscalers, network policies, the migration Job. Also docker-compose.yml, parsed.
 */
const root = join(__dirname, '..', '..');
type Doc = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered YAML, read field by field below

type Model = new (data: unknown) => { validate(): void };
const groups: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'batch/v1': batch,
  'policy/v1': policy,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'keda.sh/v1alpha1': keda,
};

function modelOf(doc: Doc): Model | undefined {
  const candidate = groups[doc.apiVersion]?.[doc.kind] as (Model & { apiVersion?: string; kind?: string }) | undefined;
  return candidate?.apiVersion === doc.apiVersion && candidate.kind === doc.kind ? candidate : undefined;
}

/** kustomize wraps long base64 Secret values over lines, which the API server's decoder skips and the schema's "byte" format does not. */
function asApiServerReads(doc: Doc): Doc {
  if (doc.kind !== 'Secret') return doc;
  const data = (doc as Doc & { data?: Record<string, string> }).data ?? {};
  return { ...doc, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.replace(/\n/g, '')])) } as Doc;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

function selects(selector: Selector, labels: Record<string, string> = {}): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]!);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]!);
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    throw new Error(`unknown selector operator ${operator}`);
  });
  return byLabel && byExpression;
}

/** What every Jeeves container may run: the build's entry points, nothing through tsx. */
const ENTRY_POINTS = ['dist/src/processes/main.js', 'dist/src/processes/worker.js', 'dist/src/processes/service.js', 'dist/scripts/migrate.js', 'dist/scripts/flags.js'];
/** Images the dev overlay runs beside Jeeves; any other workload is Jeeves and is held to every rule. */
const THIRD_PARTY_IMAGES = [/^postgres:/, /^redis:/, /^unleashorg\/unleash-server:/];

function scriptOf(container: IContainer): string | undefined {
  const words = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  return ENTRY_POINTS.find((entry) => words.includes(entry));
}

function mustGet<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing: ${what}`);
  return value;
}

class Render {
  readonly docs: Doc[];
  constructor(readonly overlay: string) {
    const text = kustomize(join(root, 'deploy', 'overlays', overlay));
    this.docs = parseAllDocuments(text).map((d) => d.toJS() as Doc);
  }
  of(kind: string): Doc[] {
    return this.docs.filter((d) => d.kind === kind);
  }
  get config(): Record<string, string> {
    const maps = this.of('ConfigMap').filter((d) => d.metadata.name.startsWith('jeeves-config'));
    expect(maps).toHaveLength(1);
    return (maps[0] as Doc & { data: Record<string, string> }).data;
  }
  /** Deployments and Jobs with the pod template each runs. */
  get workloads(): Array<{ doc: Doc; template: IPodTemplateSpec; jeeves: boolean }> {
    return [...this.of('Deployment'), ...this.of('StatefulSet'), ...this.of('Job')].map((doc) => {
      const template = doc.spec.template as IPodTemplateSpec;
      const images = mustGet(template.spec, `${doc.metadata.name}'s pod spec`).containers.map((c) => c.image ?? '');
      return { doc, template, jeeves: !images.every((image) => THIRD_PARTY_IMAGES.some((re) => re.test(image))) };
    });
  }
  get jeeves() {
    return this.workloads.filter((w) => w.jeeves);
  }
  get deployments() {
    return this.jeeves.filter((w) => w.doc.kind === 'Deployment');
  }
  component(name: string) {
    return this.deployments.filter((w) => w.template.metadata?.labels?.['app.kubernetes.io/component'] === name);
  }
}

const mainContainer = (spec: IPodSpec) => mustGet(spec.containers.find((c) => c.name === 'jeeves'), 'the jeeves container');
const allContainers = (spec: IPodSpec) => [...(spec.initContainers ?? []), ...spec.containers];
const envOf = (container: IContainer) => Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));

/** Stand-ins for the Secret's keys, so a process's whole environment can be put through loadConfig. */
const SECRET_STAND_INS = {
  DATABASE_URL: 'postgres://jeeves:secret@postgres.example.com:5432/jeeves',
  REDIS_URL: 'redis://redis.example.com:6379',
  SLACK_SIGNING_SECRET: 'signing-secret',
  SESSION_SECRET: 'session-secret',
  SERVICE_CLIENT_SECRET: 'a-service-client-secret-of-at-least-32-characters',
  UNLEASH_API_TOKEN: 'default:production.token',
  TOKEN_ENCRYPTION_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=',
};

const OVERLAYS = ['monolith', 'split', 'dev'] as const;

describeWithKubectl('deploy/overlays, rendered with kubectl kustomize', () => {
  const renders = new Map<string, Render>();
  beforeAll(() => {
    for (const overlay of OVERLAYS) renders.set(overlay, new Render(overlay));
  });
  const render = (overlay: string) => renders.get(overlay)!;

  describe.each(OVERLAYS)('%s', (overlay) => {
    it('every document is valid against the Kubernetes and KEDA schemas', () => {
      const problems = render(overlay).docs.flatMap((doc) => {
        const Model = modelOf(doc);
        if (!Model) return [`${doc.apiVersion} ${doc.kind} ${doc.metadata.name}: no schema known`];
        try {
          new Model(asApiServerReads(doc)).validate();
          return [];
        } catch (err) {
          return [`${doc.kind} ${doc.metadata.name}: ${(err as Error).message}`];
        }
      });
      expect(problems).toEqual([]);
    });

    it('every Jeeves workload runs one image, by a build entry point, never tsx', () => {
      const containers = render(overlay).jeeves.flatMap((w) => allContainers(w.template.spec!));
      expect(new Set(containers.map((c) => c.image)).size).toBe(1);
      for (const container of containers) {
        expect({ container: container.name, script: scriptOf(container) }).toEqual({ container: container.name, script: expect.any(String) });
        expect(JSON.stringify([container.command, container.args])).not.toContain('tsx');
      }
    });

    it('every Jeeves pod is non-root, read-only, without capabilities or privilege escalation, with RuntimeDefault seccomp', () => {
      for (const { doc, template } of render(overlay).jeeves) {
        const spec = template.spec!;
        expect({ name: doc.metadata.name, pod: spec.securityContext }).toMatchObject({
          name: doc.metadata.name,
          pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        });
        expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
        for (const container of allContainers(spec)) {
          expect({ name: `${doc.metadata.name}/${container.name}`, security: container.securityContext }).toEqual({
            name: `${doc.metadata.name}/${container.name}`,
            security: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          });
        }
      }
    });

    it('every Jeeves container has CPU and memory requests and limits, and writable /tmp and JEEVES_DATA_DIR', () => {
      const dataDir = render(overlay).config.JEEVES_DATA_DIR;
      for (const { doc, template } of render(overlay).jeeves) {
        const emptyDirs = new Set((template.spec!.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
        for (const container of allContainers(template.spec!)) {
          const where = `${doc.metadata.name}/${container.name}`;
          for (const kind of ['requests', 'limits'] as const) {
            expect({ where, kind, cpu: container.resources?.[kind]?.cpu !== undefined, memory: container.resources?.[kind]?.memory !== undefined }).toEqual({ where, kind, cpu: true, memory: true });
          }
          const mounts = (container.volumeMounts ?? []).filter((m) => emptyDirs.has(m.name)).map((m) => m.mountPath);
          expect({ where, tmp: mounts.includes('/tmp') }).toEqual({ where, tmp: true });
        }
        const main = mainContainer(template.spec!);
        expect({ name: doc.metadata.name, data: (main.volumeMounts ?? []).some((m) => m.mountPath === dataDir && emptyDirs.has(m.name)) }).toEqual({ name: doc.metadata.name, data: true });
      }
    });

    it("every Jeeves container's environment (ConfigMap, its own env, the Secret's keys) passes the app's config validation", () => {
      const r = render(overlay);
      for (const { doc, template } of r.jeeves) {
        for (const container of allContainers(template.spec!)) {
          const refs = (container.envFrom ?? []).map((e) => e.configMapRef?.name ?? e.secretRef?.name);
          expect(refs).toEqual([expect.stringMatching(/^jeeves-config/), expect.stringMatching(/^jeeves-secrets/)]);
          const env: Record<string, string> = { ...r.config, ...SECRET_STAND_INS, ...envOf(container) };
          expect(() => loadConfig(env)).not.toThrow();
          // dev keeps replies in the dev outbox for `npm run slack`; every other overlay is production.
          expect(`${doc.metadata.name}: ${env.NODE_ENV}`).toBe(`${doc.metadata.name}: ${overlay === 'dev' ? 'development' : 'production'}`);
        }
      }
    });

    it('every Jeeves Deployment: /healthz liveness, /readyz readiness on PORT, scraped at /metrics, waits for the migrations', () => {
      const port = Number(render(overlay).config.PORT);
      for (const { doc, template } of render(overlay).deployments) {
        const main = mainContainer(template.spec!);
        const http = main.ports?.find((p) => p.name === 'http');
        expect({ name: doc.metadata.name, port: http?.containerPort }).toEqual({ name: doc.metadata.name, port });
        expect({ name: doc.metadata.name, liveness: main.livenessProbe?.httpGet, readiness: main.readinessProbe?.httpGet }).toEqual({
          name: doc.metadata.name,
          liveness: { path: '/healthz', port: 'http' },
          readiness: { path: '/readyz', port: 'http' },
        });
        expect(template.metadata?.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
        const wait = template.spec!.initContainers?.find((c) => c.args?.includes('--wait'));
        expect({ name: doc.metadata.name, wait: wait?.args }).toEqual({ name: doc.metadata.name, wait: ['dist/scripts/migrate.js', '--wait'] });
      }
    });

    it('every Jeeves Deployment pauses before SIGTERM and is given longer than its drain, SHUTDOWN_GRACE_MS and teardown', () => {
      const config = render(overlay).config;
      const graceSeconds = Number(mustGet(config.SHUTDOWN_GRACE_MS, 'SHUTDOWN_GRACE_MS in the ConfigMap')) / 1000;
      const drainSeconds = Number(mustGet(config.SHUTDOWN_DRAIN_MS, 'SHUTDOWN_DRAIN_MS in the ConfigMap')) / 1000;
      expect(drainSeconds).toBeGreaterThan(0);
      for (const { doc, template } of render(overlay).deployments) {
        const preStop = mainContainer(template.spec!).lifecycle?.preStop?.exec?.command ?? [];
        expect({ name: doc.metadata.name, command: preStop[0] }).toEqual({ name: doc.metadata.name, command: 'sleep' });
        const pause = Number(preStop[1]);
        expect(pause).toBeGreaterThan(0);
        const needed = pause + drainSeconds + graceSeconds + STOP_TEARDOWN_MS / 1000;
        expect({ name: doc.metadata.name, longerThanNeeded: (template.spec!.terminationGracePeriodSeconds ?? 30) > needed }).toEqual({ name: doc.metadata.name, longerThanNeeded: true });
      }
    });

    it('every Jeeves Deployment has exactly one PodDisruptionBudget, and an autoscaler owns its replica count', () => {
      const r = render(overlay);
      for (const { doc, template } of r.deployments) {
        const budgets = r.of('PodDisruptionBudget').filter((pdb) => selects(pdb.spec.selector, template.metadata?.labels));
        expect({ name: doc.metadata.name, budgets: budgets.length }).toEqual({ name: doc.metadata.name, budgets: 1 });
        const scaled = [...r.of('HorizontalPodAutoscaler'), ...r.of('ScaledObject')].some((a) => a.spec.scaleTargetRef.name === doc.metadata.name);
        if (scaled) expect({ name: doc.metadata.name, replicas: doc.spec.replicas }).toEqual({ name: doc.metadata.name, replicas: undefined });
      }
    });

    it('web and every extracted service scale on CPU (HorizontalPodAutoscaler)', () => {
      const r = render(overlay);
      const targets = [...r.component('web'), ...r.component('service')];
      expect(r.component('web')).toHaveLength(1);
      for (const { doc } of targets) {
        const hpa = r.of('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === doc.metadata.name);
        expect({ name: doc.metadata.name, metric: hpa?.spec.metrics?.[0]?.resource?.name }).toEqual({ name: doc.metadata.name, metric: 'cpu' });
      }
    });

    it('web serves HTTP only (WORKER_QUEUES=none): the worker pools consume every queue', () => {
      const [web] = render(overlay).component('web');
      const env: Record<string, string> = { ...render(overlay).config, ...SECRET_STAND_INS, ...envOf(mainContainer(web!.template.spec!)) };
      expect(env.WORKER_QUEUES).toBe('none');
      expect(loadConfig(env).WORKER_QUEUES).toEqual([]);
    });

    it('the worker pools name valid queue groups that together cover every queue', () => {
      const pools = render(overlay).component('worker');
      expect(pools.length).toBeGreaterThanOrEqual(2);
      const queues = pools.flatMap(({ template }) => (envOf(mainContainer(template.spec!)).WORKER_QUEUES ?? '').split(','));
      expect([...queues].sort()).toEqual([...WORKER_QUEUES].sort());
      for (const { template } of pools) expect(scriptOf(mainContainer(template.spec!))).toBe('dist/src/processes/worker.js');
    });

    it('the release migrates once: one Job runs migrate.js, never retried forever', () => {
      const jobs = render(overlay).jeeves.filter((w) => w.doc.kind === 'Job' && scriptOf(mainContainer(w.template.spec!)) === 'dist/scripts/migrate.js');
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.doc.spec.backoffLimit).toBeLessThan(10);
      expect(jobs[0]!.template.spec!.restartPolicy).toBe('Never');
    });

    it("every service URL and the key set's URL name a Service in the render, on the port its pods serve", () => {
      const r = render(overlay);
      const services = new Map(r.of('Service').map((s) => [s.metadata.name, s]));
      const urls = ['TOKENS_JWKS_URL', ...(r.component('service').length ? EXTRACTABLE_MODULES.map((m) => `${m.toUpperCase()}_SERVICE_URL`) : [])];
      for (const variable of urls) {
        const url = new URL(mustGet(r.config[variable], variable));
        const service = services.get(url.hostname);
        expect({ variable, service: service?.metadata.name }).toEqual({ variable, service: url.hostname });
        const port = service!.spec.ports.find((p: { port: number }) => p.port === Number(url.port));
        expect({ variable, port: port?.targetPort }).toEqual({ variable, port: 'http' });
        expect(r.deployments.some((w) => selects({ matchLabels: service!.spec.selector }, w.template.metadata?.labels))).toBe(true);
      }
    });
  });

  it('monolith runs no extracted service', () => {
    expect(render('monolith').component('service')).toEqual([]);
  });

  describe.each(['split', 'dev'])('%s: the extracted services', (overlay) => {
    it.each(EXTRACTABLE_MODULES)('%s runs as its own Deployment, on the port of its <NAME>_SERVICE_URL', (module) => {
      const r = render(overlay);
      const deployment = r.component('service').find(({ template }) => mainContainer(template.spec!).args?.join(' ') === `dist/src/processes/service.js ${module}`);
      expect(deployment).toBeDefined();
      const url = new URL(r.config[`${module.toUpperCase()}_SERVICE_URL`]!);
      expect(mainContainer(deployment!.template.spec!).ports?.[0]?.containerPort).toBe(Number(url.port));
    });

    it('each accepts traffic from the web and worker pods only (NetworkPolicy)', () => {
      const r = render(overlay);
      const callers = r.deployments.filter((w) => ['web', 'worker'].includes(w.template.metadata?.labels?.['app.kubernetes.io/component'] ?? '')).map((w) => w.doc.metadata.name);
      const everyPod = r.workloads.map((w) => ({ name: w.doc.metadata.name, labels: w.template.metadata?.labels }));
      for (const { doc, template } of r.component('service')) {
        const policies = r.of('NetworkPolicy').filter((p) => selects(p.spec.podSelector, template.metadata?.labels) && p.spec.policyTypes?.includes('Ingress'));
        expect({ name: doc.metadata.name, policies: policies.length }).toEqual({ name: doc.metadata.name, policies: 1 });
        const rules: Array<{ from?: Array<{ podSelector?: Selector; namespaceSelector?: unknown; ipBlock?: unknown }> }> = policies[0]!.spec.ingress ?? [];
        for (const rule of rules) {
          // A rule without `from` admits everyone; a namespace or IP peer admits pods outside this render.
          expect(rule.from?.length).toBeGreaterThan(0);
          for (const peer of rule.from!) expect(Object.keys(peer)).toEqual(['podSelector']);
        }
        const admitted = everyPod.filter((pod) => rules.some((rule) => rule.from!.some((peer) => selects(peer.podSelector!, pod.labels)))).map((pod) => pod.name);
        expect({ name: doc.metadata.name, admitted: admitted.sort() }).toEqual({ name: doc.metadata.name, admitted: [...callers].sort() });
      }
    });

    it('a suspended Job switches every <name>-remote flag on when it is told to run', () => {
      const job = render(overlay).of('Job').find((j) => JSON.stringify(j.spec.template.spec.containers).includes('dist/scripts/flags.js'));
      expect(job?.spec.suspend).toBe(true);
      const script = mainContainer(job!.spec.template.spec).args!.join(' ');
      for (const module of EXTRACTABLE_MODULES) expect(script).toMatch(new RegExp(`\\b${module}\\b`));
      expect(script).toContain('flags.js on "$module-remote"');
    });
  });

  it.each(['monolith', 'split'])('%s: a KEDA ScaledObject per worker pool, on the BullMQ wait list of each queue it consumes', (overlay) => {
    const r = render(overlay);
    const prefix = r.config.QUEUE_PREFIX;
    for (const { doc, template } of r.component('worker')) {
      const scaled = r.of('ScaledObject').filter((s) => s.spec.scaleTargetRef.name === doc.metadata.name);
      expect({ name: doc.metadata.name, scaledObjects: scaled.length }).toEqual({ name: doc.metadata.name, scaledObjects: 1 });
      // Delayed reminders and alerts reach the wait list only through a running worker.
      expect(scaled[0]!.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      const lists = scaled[0]!.spec.triggers.map((t: { type: string; metadata: { listName: string } }) => `${t.type} ${t.metadata.listName}`);
      const queues = envOf(mainContainer(template.spec!)).WORKER_QUEUES!.split(',');
      expect(lists.sort()).toEqual(queues.map((q) => `redis ${prefix}:${q}:wait`).sort());
      for (const trigger of scaled[0]!.spec.triggers) expect(r.config[trigger.metadata.addressFromEnv]).toMatch(/^[\w.-]+:\d+$/);
    }
  });

  it('dev runs PostgreSQL, Redis (append-only, noeviction) and Unleash in the cluster, and no KEDA objects', () => {
    const r = render('dev');
    const images = r.workloads.filter((w) => !w.jeeves).flatMap((w) => w.template.spec!.containers.map((c) => c.image!));
    expect(images.map((i) => i.split(':')[0]).sort()).toEqual(['postgres', 'redis', 'unleashorg/unleash-server']);
    const redis = r.workloads.find((w) => w.doc.metadata.name === 'redis')!;
    expect(redis.template.spec!.containers[0]!.args).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(r.of('ScaledObject')).toEqual([]);
  });
});

describe('docker-compose.yml, the split placement on one machine', () => {
  type ComposeService = { image?: string; command?: string[]; entrypoint?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> };
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  const jeeves = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('jeeves'));
  /** `${VAR:-default}` as compose reads it with nothing set. */
  const defaults = (env: Record<string, string> = {}) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));

  it('runs every Jeeves process from one image by a build entry point', () => {
    expect(new Set(jeeves.map(([, s]) => s.image)).size).toBe(1);
    for (const [name, service] of jeeves) {
      const words = [...(service.entrypoint ?? []), ...(service.command ?? [])].join(' ');
      expect({ name, entry: ENTRY_POINTS.some((e) => words.includes(e)) }).toEqual({ name, entry: true });
    }
    const commands = jeeves.map(([, s]) => (s.command ?? []).join(' '));
    for (const module of EXTRACTABLE_MODULES) expect(commands).toContain(`dist/src/processes/service.js ${module}`);
    expect(commands.filter((c) => c === 'dist/src/processes/worker.js')).toHaveLength(2);
  });

  it("every long-running Jeeves process's environment passes the app's config validation, after the migrations", () => {
    for (const [name, service] of jeeves.filter(([, s]) => s.command?.[0]?.startsWith('dist/src/'))) {
      expect(() => loadConfig(defaults(service.environment))).not.toThrow();
      expect({ name, after: service.depends_on?.migrate?.condition }).toEqual({ name, after: 'service_completed_successfully' });
    }
  });

  it('web consumes no queue and drains on SIGTERM; the worker pools consume every queue the monolith uses, each once', () => {
    const web = defaults(compose.services.web!.environment);
    expect(web.WORKER_QUEUES).toBe('none');
    expect(Number(web.SHUTDOWN_DRAIN_MS)).toBeGreaterThan(0);
    const consumed = jeeves.filter(([, s]) => s.command?.[0] === 'dist/src/processes/worker.js').flatMap(([, s]) => (s.environment?.WORKER_QUEUES ?? '').split(','));
    expect([...consumed].sort()).toEqual([...WORKER_QUEUES].sort());
  });

  it('Redis keeps an append-only file and never evicts', () => {
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
  });

  it('the -remote flags go on only once the three services are healthy', () => {
    const enable = compose.services['enable-remote']!;
    expect(Object.keys(enable.depends_on ?? {}).sort()).toEqual([...EXTRACTABLE_MODULES].sort());
    expect(Object.values(enable.depends_on ?? {}).every((d) => d.condition === 'service_healthy')).toBe(true);
  });
});

describe('the entry points the image, the manifests and the compose file run', () => {
  it.each(ENTRY_POINTS)('%s is compiled from a source file of the build', (entry) => {
    const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(existsSync(join(root, source))).toBe(true);
  });

  it("the Dockerfile's default command is the monolith's", () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^CMD \["dist\/src\/processes\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node"\]$/m);
  });
});
