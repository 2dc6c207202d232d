/*
 * With the live model, a change in a watched cluster rewrites the
 * summaries and records the changes by itself: nobody runs the scan here,
 * the model's snapshots trigger it (the scheduler's triggerTask).
 */
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
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleTrafficPath from '@internal/plugin-kubernetes-backend-module-traffic-path';
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import request from 'supertest';
import { trafficPathPlugin } from '../../plugin';
import { scenarioObjects } from '../../__testUtils__/scenarioObjects';

jest.setTimeout(60_000);

const root = resolve(__dirname, '../../../../..');
const load = (...inputs: string[]) =>
  scenarioObjects(...inputs.map(i => join(root, 'test/scenarios', i)));
const token = 'traffic-path-test';

let demo: DemoCluster;
let backend: TestBackend;
let triggeredScans = 0;

const get = (path: string, query: Record<string, string> = {}) =>
  request(backend.server)
    .get(`/api/traffic-path${path}`)
    .query(query)
    .set('Authorization', mockCredentials.user.header());

async function until<T>(what: string, probe: () => Promise<T | undefined>) {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  demo = await startDemoCluster({ objects: load('seed-004/cluster'), token });
  const tasks = new Map<string, any>();
  backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'app3',
              namespace: 'default',
              annotations: { 'backstage.io/kubernetes-id': 'app3' },
            },
            spec: { type: 'service', owner: 'platform-team' },
          },
        ],
      }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => ({
          scheduleTask: async (task: any) => {
            tasks.set(task.id, task);
          },
          triggerTask: async (id: string) => {
            triggeredScans++;
            await tasks.get(id).fn(new AbortController().signal);
          },
          cancelTask: async () => {},
          createScheduledTaskRunner: () => ({ run: async () => {} }),
          getScheduledTasks: async () => [],
        }),
      }),
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
            watch: { enabled: true, debounceMilliseconds: 50 },
            exposure: {
              scan: {
                initialDelaySeconds: 3600,
                onChange: { delaySeconds: 0, minIntervalMinutes: 0 },
              },
            },
          },
        },
      }),
    ],
  });
});

afterAll(async () => {
  await backend?.stop();
  await demo?.close();
});

it('writes the summaries when the model is ready and records a change when the cluster changes', async () => {
  const first = await until('the first summary', async () => {
    const res = await get('/v1/exposure', {
      entityRef: 'component:default/app3',
    });
    return res.body.items?.[0]?.scannedAt ? res.body.items[0] : undefined;
  });
  expect(first.entries[0].sourceRestriction.kind).toBe('cloud-acl');
  // The ACL leaves the internal load balancer: the watch sees it, the scan follows.
  await demo.replace(load('diff-exposure/cluster'));
  const changes = await until('the change', async () => {
    const res = await get('/v1/exposure/changes', {
      entityRef: 'component:default/app3',
    });
    return res.body.items?.length ? res.body.items : undefined;
  });
  expect(changes.map((c: any) => c.change.kind)).toContain(
    'restriction-removed',
  );
  expect(triggeredScans).toBeGreaterThanOrEqual(2);
});
