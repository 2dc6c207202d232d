/*
 * With the live model, a change in a watched cluster rewrites the summary
 * of the entity whose routes changed, and only that one, and records the
 * change: nobody runs the scan here (none is triggered). The summaries
 * written from the model are those a scan reading the cluster per request
 * writes, and the answers those of a request-scoped read.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  coreServices,
  createServiceFactory,
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
  KubeObject,
  parseDocuments,
} from '@internal/plugin-traffic-path-common';
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import request from 'supertest';
import { trafficPathPlugin } from '../../plugin';
import { scenarioObjects } from '../../__testUtils__/scenarioObjects';

jest.setTimeout(90_000);

const root = resolve(__dirname, '../../../../..');
const scenarios = join(root, 'test/scenarios');
const token = 'traffic-path-test';

const entities: Entity[] = ['app1', 'app2', 'app3'].map(id => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: id,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': id },
  },
  spec: { type: 'service', owner: 'platform-team' },
}));

type Item = {
  entityRef: string;
  scannedAt?: string;
  entries: { host?: string }[];
};
type Change = { entityRef: string; change: { kind: string } };

let demo: DemoCluster;
let backend: TestBackend;
let triggered = 0;
const tasks = new Map<string, any>();

/** The scheduler, capturing tasks without running them; triggers are counted. */
const capturingScheduler = (
  captured: Map<string, any>,
  onTrigger: () => void,
) =>
  createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => ({
      scheduleTask: async (task: any) => {
        captured.set(task.id, task);
      },
      triggerTask: async () => onTrigger(),
      cancelTask: async () => {},
      createScheduledTaskRunner: () => ({ run: async () => {} }),
      getScheduledTasks: async () => [],
    }),
  });

function start(watch: boolean, captured: Map<string, any>) {
  return startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({ entities }),
      capturingScheduler(captured, () => triggered++),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfigFor([
            {
              name: 'demo',
              url: demo.url,
              certificate: demo.certificate,
              token,
            },
          ]),
          trafficPath: {
            cache: { ttlSeconds: 0 },
            watch: { enabled: watch, debounceMilliseconds: 50 },
            exposure: {
              scan: {
                initialDelaySeconds: 3600,
                onChange: { delaySeconds: 0 },
              },
            },
          },
        },
      }),
    ],
  });
}

const get = (
  b: TestBackend,
  path: string,
  query: Record<string, string> = {},
) =>
  request(b.server)
    .get(`/api/traffic-path${path}`)
    .query(query)
    .set('Authorization', mockCredentials.user.header());

const items = async (b = backend): Promise<Item[]> =>
  (await get(b, '/v1/exposure')).body.items;
const changes = async (): Promise<Change[]> =>
  (await get(backend, '/v1/exposure/changes')).body.items;
const scannedAt = async () =>
  Object.fromEntries((await items()).map(i => [i.entityRef, i.scannedAt]));

async function until<T>(what: string, probe: () => Promise<T | undefined>) {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const file = (path: string): KubeObject[] =>
  parseDocuments(path, readFileSync(path, 'utf8')).objects;

beforeAll(async () => {
  demo = await startDemoCluster({
    objects: scenarioObjects(join(scenarios, 'seed-004/cluster')),
    token,
  });
  backend = await start(true, tasks);
});

afterAll(async () => {
  await backend?.stop();
  await demo?.close();
});

it('writes every summary once the model is ready, without a scan', async () => {
  const all = await until('the three summaries', async () => {
    const found = await items();
    return found?.length === 3 && found.every(i => i.scannedAt)
      ? found
      : undefined;
  });
  expect(all.map(i => i.entityRef)).toEqual([
    'component:default/app1',
    'component:default/app2',
    'component:default/app3',
  ]);
  expect(all.every(i => i.entries.length > 0)).toBe(true);
  expect(triggered).toBe(0);
});

it('rewrites only the summary of the entity a NetworkPolicy now blocks, and records the change', async () => {
  const before = await scannedAt();
  demo.apply(
    file(join(scenarios, 'review-policy-blocking/cluster/app1-deny.yaml')),
  );
  const found = await until('the change of app1', async () => {
    const all = await changes();
    return all.some(c => c.entityRef === 'component:default/app1')
      ? all
      : undefined;
  });
  expect(found.map(c => c.change.kind)).toContain('blocked');
  expect(new Set(found.map(c => c.entityRef))).toEqual(
    new Set(['component:default/app1']),
  );
  // Batches of other changes may still come: the others stay as they were.
  await new Promise(r => setTimeout(r, 500));
  const after = await scannedAt();
  expect(Date.parse(after['component:default/app1']!)).toBeGreaterThan(
    Date.parse(before['component:default/app1']!),
  );
  expect(after['component:default/app2']).toBe(
    before['component:default/app2'],
  );
  expect(after['component:default/app3']).toBe(
    before['component:default/app3'],
  );
  expect(triggered).toBe(0);
});

it('rewrites only the summary of the entity whose Ingress was removed', async () => {
  const before = await scannedAt();
  demo.remove([
    { kind: 'Ingress', namespace: 'app', name: 'app2-service-ingress' },
  ]);
  const found = await until('the change of app2', async () => {
    const all = await changes();
    return all.some(c => c.entityRef === 'component:default/app2')
      ? all.filter(c => c.entityRef === 'component:default/app2')
      : undefined;
  });
  expect(found.map(c => c.change.kind)).toContain('entry-removed');
  await new Promise(r => setTimeout(r, 500));
  const after = await scannedAt();
  expect(after['component:default/app1']).toBe(
    before['component:default/app1'],
  );
  expect(after['component:default/app3']).toBe(
    before['component:default/app3'],
  );
  expect(
    (await changes()).filter(c => c.entityRef === 'component:default/app3'),
  ).toEqual([]);
  expect(triggered).toBe(0);
});

it('writes the summaries a scan reading per request writes, and answers as a request-scoped read', async () => {
  const fromModel = await items();
  const fresh = new Map<string, any>();
  const perRequest = await start(false, fresh);
  try {
    await fresh
      .get('traffic-path-exposure-scan')
      .fn(new AbortController().signal);
    const scanned = await items(perRequest);
    expect(scanned.map(i => [i.entityRef, i.entries])).toEqual(
      fromModel.map(i => [i.entityRef, i.entries]),
    );
    for (const entity of ['app1', 'app2', 'app3']) {
      const entityRef = `component:default/${entity}`;
      const watched = (await get(backend, '/v1/routes', { entityRef })).body
        .clusters[0];
      const read = (await get(perRequest, '/v1/routes', { entityRef })).body
        .clusters[0];
      expect(watched.mode).toBe('watch');
      expect(read.mode).toBe('request');
      expect(watched.report).toEqual(read.report);
    }
  } finally {
    await perRequest.stop();
  }
});
