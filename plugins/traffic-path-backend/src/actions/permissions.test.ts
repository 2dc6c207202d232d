/*
 * One entity hidden from one user, through the real catalog, the real
 * permission backend and a policy with a conditional decision: nothing of
 * it in the exposure API, the CSV, the changes or the actions, which a real
 * MCP client calls through @backstage/plugin-mcp-actions-backend.
 */
import { join, resolve } from 'node:path';
import { AddressInfo } from 'node:net';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import kubernetesModuleTrafficPath from '@internal/plugin-kubernetes-backend-module-traffic-path';
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import request from 'supertest';
import { trafficPathPlugin } from '../plugin';
import { scenarioObjects } from '../__testUtils__/scenarioObjects';
import { actorAuthServiceFactory } from '../__testUtils__/actorAuth';

jest.setTimeout(90_000);

const root = resolve(__dirname, '../../../..');
const scenarios = join(root, 'test/scenarios');
const load = (...inputs: string[]) =>
  scenarioObjects(...inputs.map(i => join(scenarios, i)));
const token = 'traffic-path-test';
const OUTSIDER = 'user:default/outsider';
const INSIDER = 'user:default/insider';
const TEAM = 'group:default/platform-team';

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'review-test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(req, user) {
            if (
              user?.info.userEntityRef === OUTSIDER &&
              isPermission(req.permission, catalogEntityReadPermission)
            )
              return createCatalogConditionalDecision(req.permission, {
                not: catalogConditions.hasLabel({ label: 'confidential' }),
              });
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

let scanTask: SchedulerServiceTaskFunction | undefined;
const capturingScheduler = createServiceFactory({
  service: coreServices.scheduler,
  deps: {},
  factory: () => ({
    scheduleTask: async (task: any) => {
      if (task.id === 'traffic-path-exposure-scan') scanTask = task.fn;
    },
    triggerTask: async () => {},
    cancelTask: async () => {},
    createScheduledTaskRunner: () => ({ run: async () => {} }),
    getScheduledTasks: async () => [],
  }),
});
const scan = () => scanTask!(new AbortController().signal);

let demo: DemoCluster;
let backend: TestBackend;

const get = (
  user: string,
  path: string,
  query: Record<string, string | string[]> = {},
) =>
  request(backend.server)
    .get(`/api/traffic-path${path}`)
    .query(query)
    .set('Authorization', mockCredentials.user.header(user));

async function mcpClient(user: string) {
  const { port } = backend.server.address() as AddressInfo;
  const client = new Client({ name: 'traffic-path-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`http://localhost:${port}/api/mcp-actions/v1`),
      {
        requestInit: {
          headers: { Authorization: mockCredentials.user.header(user) },
        },
      },
    ),
  );
  return client;
}

/** The JSON an action answered (the MCP backend sends it as a fenced text block). */
function outputOf(result: any): any {
  const text: string = result.content[0].text;
  if (result.isError) return { error: text };
  return JSON.parse(text.replace(/^```json\n/, '').replace(/\n```$/, ''));
}

beforeAll(async () => {
  demo = await startDemoCluster({ objects: load('seed-004/cluster'), token });
  backend = await startTestBackend({
    features: [
      catalogPlugin,
      permissionPlugin,
      policyModule,
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      mcpActionsPlugin,
      permissionsServiceFactory,
      actorAuthServiceFactory,
      permissionsRegistryServiceFactory,
      actionsRegistryServiceFactory,
      actionsServiceFactory,
      capturingScheduler,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          backend: {
            actions: { pluginSources: ['traffic-path'] },
          },
          catalog: {
            rules: [{ allow: ['Component', 'Group'] }],
            locations: [
              {
                type: 'file',
                target: join(scenarios, 'review-permissions/catalog.yaml'),
              },
            ],
          },
          kubernetes: kubernetesConfigFor([
            {
              name: 'demo',
              url: demo.url,
              certificate: demo.certificate,
              token,
            },
          ]),
          trafficPath: { cache: { ttlSeconds: 0 } },
        },
      }),
    ],
  });
  // The catalog processes its location in the background.
  for (let i = 0; i < 120; i++) {
    const res = await request(backend.server)
      .get('/api/catalog/entities/by-name/component/default/app3')
      .set('Authorization', mockCredentials.user.header(INSIDER));
    if (res.status === 200) break;
    await new Promise(r => setTimeout(r, 250));
  }
  await scan();
  await demo.replace(load('diff-exposure/cluster'));
  // A read right after a change of the demo cluster may still see the old state.
  await new Promise(r => setTimeout(r, 1500));
  await scan();
});

afterAll(async () => {
  await backend?.stop();
  await demo?.close();
});

describe('an entity hidden from one user', () => {
  it('is in the exposure API for the insider and not for the outsider', async () => {
    const refs = async (user: string, query: Record<string, string> = {}) =>
      (await get(user, '/v1/exposure', query)).body.items.map(
        (i: any) => i.entityRef,
      );
    expect(await refs(INSIDER, { owner: TEAM })).toEqual([
      'component:default/app1',
      'component:default/app3',
    ]);
    expect(await refs(OUTSIDER, { owner: TEAM })).toEqual([
      'component:default/app1',
    ]);
    expect(await refs(OUTSIDER)).toEqual(['component:default/app1']);
    expect(
      await refs(OUTSIDER, { entityRef: 'component:default/app3' }),
    ).toEqual([]);
  });

  it('is not in the outsider’s CSV or Markdown', async () => {
    const insider = await get(INSIDER, '/v1/exposure', { format: 'csv' });
    expect(insider.text).toContain('app3.qas.abc.com');
    for (const format of ['csv', 'markdown']) {
      const res = await get(OUTSIDER, '/v1/exposure', { format });
      expect(res.status).toBe(200);
      expect(res.text).toContain('app1.qas.abc.com');
      expect(res.text).not.toMatch(/app3/);
    }
  });

  it('has no changes for the outsider', async () => {
    const insider = await get(INSIDER, '/v1/exposure/changes', { owner: TEAM });
    expect(
      insider.body.items.map((i: any) => `${i.entityRef} ${i.change.kind}`),
    ).toEqual(
      expect.arrayContaining([
        'component:default/app1 entry-added',
        'component:default/app3 restriction-removed',
      ]),
    );
    const outsider = await get(OUTSIDER, '/v1/exposure/changes', {
      owner: TEAM,
    });
    expect(outsider.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(outsider.body)).not.toMatch(/app3/);
    // Hidden entities' changes do not use up the limit.
    for (const limit of ['1']) {
      const page = await get(OUTSIDER, '/v1/exposure/changes', {
        owner: TEAM,
        limit,
      });
      expect(page.body.items).toHaveLength(Number(limit));
      expect(JSON.stringify(page.body)).not.toMatch(/app3/);
    }
  });

  it('is not in the actions an MCP client calls as the outsider', async () => {
    const outsider = await mcpClient(OUTSIDER);
    const insider = await mcpClient(INSIDER);
    try {
      const { tools } = await outsider.listTools();
      expect(tools.map(t => t.name)).toEqual(
        expect.arrayContaining(['get-entity-traffic-path', 'list-exposure']),
      );
      const listTool = tools.find(t => t.name === 'list-exposure')!;
      expect(listTool.inputSchema).toMatchObject({
        type: 'object',
        properties: { owner: { type: 'array' } },
      });

      const theirs = outputOf(
        await outsider.callTool({
          name: 'list-exposure',
          arguments: { owner: [TEAM] },
        }),
      );
      expect(theirs.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/app1',
      ]);
      const ours = outputOf(
        await insider.callTool({
          name: 'list-exposure',
          arguments: { owner: [TEAM], publicOnly: false },
        }),
      );
      expect(ours.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/app1',
        'component:default/app3',
      ]);

      const unbounded = await outsider.callTool({
        name: 'list-exposure',
        arguments: {},
      });
      expect(unbounded.isError).toBe(true);
      expect(JSON.stringify(unbounded)).toMatch(/needs an owner or a system/);

      const hidden = await outsider.callTool({
        name: 'get-entity-traffic-path',
        arguments: { entityRef: 'component:default/app3' },
      });
      expect(hidden.isError).toBe(true);
      expect(JSON.stringify(hidden)).not.toMatch(/app3\.qas|app3-service/);

      const seen = outputOf(
        await insider.callTool({
          name: 'get-entity-traffic-path',
          arguments: {
            entityRef: 'component:default/app1',
            clientIp: '203.0.113.7',
          },
        }),
      );
      expect(seen).toMatchObject({
        entityRef: 'component:default/app1',
        configured: true,
      });
      const route = seen.clusters[0].routes.find(
        (r: any) => r.host === 'app1.qas.abc.com',
      );
      expect(route).toMatchObject({
        exposure: 'public',
        verdict: { clientIp: '203.0.113.7', allowed: true },
      });
      expect(route.hops.map((h: any) => h.kind)).toContain('load-balancer');
    } finally {
      await outsider.close();
      await insider.close();
    }
  });
});
