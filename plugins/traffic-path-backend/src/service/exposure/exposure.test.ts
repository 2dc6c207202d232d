/*
 * The ownership review in a real backend, on SQLite and on a real
 * PostgreSQL server: the scheduled scan resolves the catalog's entities
 * through the real Kubernetes backend against a demo cluster, the API
 * answers the stored summaries (JSON, CSV, Markdown), a second state of the
 * cluster records changes, and the retention prunes them.
 */
import { join, resolve } from 'node:path';
import {
  coreServices,
  createServiceFactory,
  SchedulerServiceTaskScheduleDefinition,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleTrafficPath from '@internal/plugin-kubernetes-backend-module-traffic-path';
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { JsonObject } from '@backstage/types';
import Ajv from 'ajv';
import request from 'supertest';
import { spec } from '../../schema/openapi.generated';
import { trafficPathPlugin } from '../../plugin';
import { scenarioObjects } from '../../__testUtils__/scenarioObjects';
import {
  startPostgres,
  TestPostgres,
} from '../../__testUtils__/postgresServer';

jest.setTimeout(60_000);

const root = resolve(__dirname, '../../../../..');
const load = (...inputs: string[]) =>
  scenarioObjects(...inputs.map(i => join(root, 'test/scenarios', i)));
const token = 'traffic-path-test';

/** The answers must be what the OpenAPI spec says: the frontend is built against it. */
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'spec', components: spec.components as any });
function expectSchema(name: string, body: unknown) {
  const validate = ajv.getSchema(`spec#/components/schemas/${name}`)!;
  expect(validate(body) ? [] : validate.errors).toEqual([]);
}
const TEAM = 'group:default/platform-team';

const component = (
  name: string,
  kubernetesId: string,
  system?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': kubernetesId },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'platform-team',
    ...(system ? { system } : {}),
  },
});

const entities = [
  // The second team's, on the second cluster only.
  {
    ...component('checkout', 'checkout', 'payments'),
    spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
  },
  {
    ...component('ledger', 'ledger', 'payments'),
    spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
  },
  component('app1', 'app1', 'shop'),
  component('app2', 'app2', 'shop'),
  component('app3', 'app3'),
  // No annotation: not scanned.
  {
    ...component('docs-site', 'x'),
    metadata: { name: 'docs-site', namespace: 'default' },
  },
];

type Task = SchedulerServiceTaskScheduleDefinition & {
  id: string;
  fn: SchedulerServiceTaskFunction;
  scope?: string;
};

/** A scheduler that keeps the tasks, so the test runs a scan when it chooses. */
function capturingScheduler(tasks: Map<string, Task>) {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => ({
      scheduleTask: async (task: any) => {
        tasks.set(task.id, task);
      },
      triggerTask: async (id: string) => {
        await tasks.get(id)!.fn(new AbortController().signal);
      },
      createScheduledTaskRunner: () => ({ run: async () => {} }),
      getScheduledTasks: async () => [],
      cancelTask: async () => {},
    }),
  });
}

let demo: DemoCluster;
let shop: DemoCluster;
let postgres: TestPostgres | undefined;

beforeAll(async () => {
  demo = await startDemoCluster({ objects: load('seed-004/cluster'), token });
  shop = await startDemoCluster({
    objects: load('review-shop/cluster'),
    token,
  });
});
afterAll(async () => {
  await demo?.close();
  await shop?.close();
  postgres?.stop();
});

const databases: [string, () => Promise<JsonObject>][] = [
  [
    'SQLite',
    async () => ({ client: 'better-sqlite3', connection: ':memory:' }),
  ],
  [
    'PostgreSQL',
    async () => {
      postgres = await startPostgres();
      return { client: 'pg', connection: postgres.connection };
    },
  ],
];

describe.each(databases)('the ownership review on %s', (_name, database) => {
  let backend: TestBackend;
  const tasks = new Map<string, Task>();
  const scan = () =>
    tasks.get('traffic-path-exposure-scan')!.fn(new AbortController().signal);
  const get = (path: string, query: Record<string, string | string[]> = {}) =>
    request(backend.server)
      .get(`/api/traffic-path${path}`)
      .query(query)
      .set('Authorization', mockCredentials.user.header());

  beforeAll(async () => {
    await demo.replace(load('seed-004/cluster'));
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleTrafficPath,
        trafficPathPlugin,
        catalogServiceMock.factory({ entities }),
        capturingScheduler(tasks),
        mockServices.database.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: await database() },
            kubernetes: kubernetesConfigFor([
              {
                name: 'demo',
                url: demo.url,
                certificate: demo.certificate,
                token,
              },
              {
                name: 'shop',
                url: shop.url,
                certificate: shop.certificate,
                token,
              },
            ]),
            trafficPath: {
              cache: { ttlSeconds: 0 },
              exposure: {
                scan: { intervalMinutes: 15, initialDelaySeconds: 5 },
                // About a second: old enough to prune within the test.
                retention: { days: 1 / 86_400 },
              },
            },
          },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  it('schedules one scan at a time across backends, at the configured interval', () => {
    expect(tasks.get('traffic-path-exposure-scan')).toMatchObject({
      scope: 'global',
      frequency: { minutes: 15 },
      initialDelay: { seconds: 5 },
    });
  });

  it('stores a summary per annotated entity and answers it by owner and system', async () => {
    await scan();
    const res = await get('/v1/exposure', { owner: TEAM });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/app1',
      'component:default/app2',
      'component:default/app3',
    ]);
    expectSchema('ExposureList', res.body);
    // The check has teeth: an item without its cluster is refused.
    expect(
      ajv.getSchema('spec#/components/schemas/ExposureList')!({
        items: [{ entityRef: 'component:default/x', entries: [] }],
      }),
    ).toBe(false);
    const app1 = res.body.items[0];
    expect(app1).toMatchObject({
      owner: TEAM,
      system: 'system:default/shop',
      cluster: 'demo',
    });
    expect(Date.parse(app1.scannedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(app1.entries).toContainEqual(
      expect.objectContaining({
        host: 'app1.qas.abc.com',
        exposure: 'public',
        loadBalancer: expect.objectContaining({
          addresses: ['47.100.21.10'],
          provider: 'alibaba-cloud',
        }),
        findings: expect.objectContaining({ error: expect.any(Number) }),
      }),
    );
    // The internal load balancer carries a cloud ACL, by id.
    const app3 = res.body.items[2];
    expect(app3.entries).toContainEqual(
      expect.objectContaining({
        exposure: 'internal',
        sourceRestriction: expect.objectContaining({ kind: 'cloud-acl' }),
      }),
    );
    // Stored without secrets or client data.
    for (const item of res.body.items)
      for (const entry of item.entries) {
        expect(entry).not.toHaveProperty('verdict');
        expect(entry).not.toHaveProperty('objects');
      }
    expect(JSON.stringify(res.body)).not.toMatch(/"kind":"Secret"|undefined/);

    const bySystem = await get('/v1/exposure', {
      system: 'system:default/shop',
    });
    expect(bySystem.body.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/app1',
      'component:default/app2',
    ]);
    const several = await get('/v1/exposure', {
      entityRef: ['component:default/app3', 'component:default/docs-site'],
    });
    expect(several.body.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/app3',
    ]);
    const publicOnly = await get('/v1/exposure', {
      owner: TEAM,
      publicOnly: 'true',
    });
    expect(
      publicOnly.body.items.flatMap((i: any) =>
        i.entries.map((e: any) => e.exposure),
      ),
    ).toEqual(expect.arrayContaining(['public']));
    expect(
      publicOnly.body.items.every((i: any) =>
        i.entries.every((e: any) => e.exposure === 'public'),
      ),
    ).toBe(true);
    // The first summary is the baseline: no changes yet.
    expect((await get('/v1/exposure/changes', { owner: TEAM })).body).toEqual({
      items: [],
    });
  });

  it('answers a second owner its entities in the other cluster, one internal and one open to the internet', async () => {
    const res = await get('/v1/exposure', { owner: 'group:default/shop-team' });
    expect(
      res.body.items.map((i: any) => ({
        entityRef: i.entityRef,
        cluster: i.cluster,
        entries: i.entries.map((e: any) => ({
          exposure: e.exposure,
          sourceRestriction: e.sourceRestriction.kind,
          addresses: e.loadBalancer?.addresses,
          rules: e.sourceRestriction.rules.flatMap((r: any) => r.cidrs),
        })),
      })),
    ).toEqual([
      {
        entityRef: 'component:default/checkout',
        cluster: 'shop',
        entries: [
          {
            exposure: 'public',
            sourceRestriction: 'none',
            addresses: ['34.120.8.9'],
            rules: [],
          },
        ],
      },
      {
        entityRef: 'component:default/ledger',
        cluster: 'shop',
        entries: [
          {
            exposure: 'internal',
            sourceRestriction: 'ranges',
            addresses: ['10.128.0.50'],
            rules: ['10.128.0.0/9'],
          },
        ],
      },
    ]);
    // Entities of one cluster have no summary in the other.
    const app1 = await get('/v1/exposure', {
      entityRef: 'component:default/app1',
    });
    expect(app1.body.items.map((i: any) => i.cluster)).toEqual(['demo']);
    const csv = await get('/v1/exposure', {
      owner: 'group:default/shop-team',
      format: 'csv',
    });
    expect(csv.text).toContain(',none (open to the internet),');
  });

  it('answers CSV and Markdown reports of the same rows', async () => {
    const csv = await get('/v1/exposure', { owner: TEAM, format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/exposure\.csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'entityRef,owner,system,cluster,scannedAt,host,path,port,exposure,loadBalancer,sourceRestriction,rules,tls,networkPolicy,errors,warnings,info,scanError',
    );
    const app1Row = lines.find(l => l.includes(',app1.qas.abc.com,'))!;
    expect(app1Row).toMatch(
      /^component:default\/app1,group:default\/platform-team,system:default\/shop,demo,/,
    );
    expect(app1Row).toContain(',public,');
    const json = await get('/v1/exposure', { owner: TEAM });
    const entryCount = json.body.items.reduce(
      (n: number, i: any) => n + Math.max(1, i.entries.length),
      0,
    );
    expect(lines).toHaveLength(1 + entryCount);

    const md = await get('/v1/exposure', { owner: TEAM, format: 'markdown' });
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.text).toContain('## group:default/platform-team');
    expect(md.text).toMatch(
      /\| component:default\/app1 \| demo \| app1\.qas\.abc\.com/,
    );
  });

  it('records what changed between two states of the cluster', async () => {
    const before = new Date().toISOString();
    await demo.replace(
      load('diff-exposure/cluster', 'review-policy-blocking/cluster'),
    );
    // A read right after a change of the demo cluster may still see the old state.
    await new Promise(r => setTimeout(r, 1500));
    await scan();
    const res = await get('/v1/exposure/changes', {
      owner: TEAM,
      since: before,
    });
    expect(res.status).toBe(200);
    const seen = res.body.items.map(
      (i: any) => `${i.entityRef} ${i.change.kind} ${i.change.host ?? ''}`,
    );
    expect(seen).toEqual(
      expect.arrayContaining([
        // A domain added, public, without TLS or source restriction.
        'component:default/app1 entry-added api.qas.abc.com',
        // The policy now refuses app1's traffic.
        expect.stringMatching(/^component:default\/app1 blocked /),
        // The ACL removed from the internal load balancer.
        expect.stringMatching(/^component:default\/app3 restriction-removed/),
        expect.stringMatching(/^component:default\/app2 tls-dropped/),
      ]),
    );
    expectSchema('ExposureChangeList', res.body);
    for (const item of res.body.items) {
      expect(item.cluster).toBe('demo');
      expect(item.at >= before).toBe(true);
      expect(item.change.message).not.toMatch(/undefined/);
    }
    const app1 = (
      await get('/v1/exposure', { entityRef: 'component:default/app1' })
    ).body.items[0];
    expect(app1.changedAt).toBe(res.body.items[0].at);
    // Nothing before the first change.
    const later = await get('/v1/exposure/changes', {
      owner: TEAM,
      since: new Date(Date.now() + 1000).toISOString(),
    });
    expect(later.body.items).toEqual([]);
  });

  it('prunes changes older than the retention', async () => {
    expect(
      (await get('/v1/exposure/changes', { owner: TEAM })).body.items.length,
    ).toBeGreaterThan(0);
    await new Promise(r => setTimeout(r, 1500));
    await scan(); // the same state: no new change; the old ones go
    expect((await get('/v1/exposure/changes', { owner: TEAM })).body).toEqual({
      items: [],
    });
    // The summaries stay.
    expect(
      (await get('/v1/exposure', { owner: TEAM })).body.items,
    ).toHaveLength(3);
  });

  it('rejects bad input with the parameter named', async () => {
    const res = await get('/v1/exposure/changes', { since: 'yesterday' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/since/);
    const bad = await get('/v1/exposure', { owner: 'group:' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/owner/);
  });
});
