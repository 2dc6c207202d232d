/*
 * The module's routes where the Kubernetes backend reaches its own cluster
 * at the in-cluster address: a `serviceAccount` cluster without a token, on
 * a pod with KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT and a mounted
 * CA (client-node's `loadFromCluster`, its files under a test directory).
 * The cluster's configured URL answers nothing: both the lists and the
 * watches must go to the in-cluster address.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { SERVICEACCOUNT_CA_PATH } from '@backstage/plugin-kubernetes-common';
import {
  AuthenticationStrategy,
  ClusterDetails,
} from '@backstage/plugin-kubernetes-node';
import {
  DemoCluster,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import {
  DEFAULT_READ_LIMITS,
  LISTS_ROUTE,
  routeWatch,
  WATCH_ROUTE,
  WatchEvent,
} from '@internal/plugin-traffic-path-node';
import express from 'express';
import request from 'supertest';
import { inClusterEnvironment } from './clusterConnection';
import { createListsRouter } from './listsRouter';
import { scenarioObjects } from './__testUtils__/scenarioObjects';

const root = resolve(__dirname, '../../..');
let cluster: DemoCluster;
let podFiles: string;
const savedEnv = {
  host: process.env.KUBERNETES_SERVICE_HOST,
  port: process.env.KUBERNETES_SERVICE_PORT,
};

const demo: ClusterDetails = {
  name: 'demo',
  // Nothing listens here: only the in-cluster address answers.
  url: 'https://127.0.0.1:1',
  authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount' },
};

const serviceAccount: AuthenticationStrategy = {
  getCredential: async () => ({ type: 'bearer token', token: 'in-cluster' }),
  validateCluster: () => [],
  presentAuthMetadata: () => ({}),
};

/** The module's router on its own, with the Kubernetes backend's error statuses. */
function app(pathPrefix: string) {
  const router = createListsRouter({
    defaultRouter: express.Router(),
    clusterSupplier: { getClusters: async () => [demo] },
    authStrategyMap: { serviceAccount },
    httpAuth: mockServices.httpAuth(),
    permissions: mockServices.permissions(),
    logger: mockServices.logger.mock(),
    limits: DEFAULT_READ_LIMITS,
    environment: inClusterEnvironment(pathPrefix),
  });
  const statuses: Record<string, number> = {
    InputError: 400,
    NotAllowedError: 403,
    NotFoundError: 404,
    ServiceUnavailableError: 503,
  };
  return express()
    .use(router)
    .use(
      (
        e: Error,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res
          .status(statuses[e.name] ?? 500)
          .json({ error: { name: e.name, message: e.message } });
      },
    );
}

const services = { path: '/api/v1/namespaces/app/services', kind: 'Service' };

beforeAll(async () => {
  cluster = await startDemoCluster({
    objects: scenarioObjects(join(root, 'test/scenarios/seed-004/cluster')),
    token: 'in-cluster',
  });
  podFiles = mkdtempSync(join(tmpdir(), 'traffic-path-pod-'));
  const caFile = `${podFiles}${SERVICEACCOUNT_CA_PATH}`;
  mkdirSync(dirname(caFile), { recursive: true });
  writeFileSync(caFile, cluster.certificate!);
  const { hostname, port } = new URL(cluster.url);
  process.env.KUBERNETES_SERVICE_HOST = hostname;
  process.env.KUBERNETES_SERVICE_PORT = port;
});

afterAll(async () => {
  await cluster?.close();
  rmSync(podFiles, { recursive: true, force: true });
  for (const [name, value] of [
    ['KUBERNETES_SERVICE_HOST', savedEnv.host],
    ['KUBERNETES_SERVICE_PORT', savedEnv.port],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('in a pod of the cluster', () => {
  it('reads lists at the in-cluster address with the mounted CA', async () => {
    const before = cluster.requests.length;
    const res = await request(app(podFiles))
      .post(LISTS_ROUTE)
      .send({ cluster: 'demo', reads: [services] });
    expect(res.status).toBe(200);
    expect(res.body.results[0].status).toBe(200);
    expect(res.body.results[0].body.items.length).toBeGreaterThan(0);
    expect(cluster.requests.slice(before).map(r => r.path)).toContain(
      services.path,
    );
  });

  it('watches at the in-cluster address too', async () => {
    const server: Server = createServer(app(podFiles));
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    try {
      const listed = await request(server)
        .post(LISTS_ROUTE)
        .send({ cluster: 'demo', reads: [services] });
      const { items, metadata } = listed.body.results[0].body;
      const watch = routeWatch(
        `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }${WATCH_ROUTE}`,
        async () => ({ Authorization: mockCredentials.service.header() }),
        { cluster: 'demo' },
      );
      const stop = new AbortController();
      const events: WatchEvent[] = [];
      const seen = (async () => {
        for await (const e of watch(services, {
          resourceVersion: metadata.resourceVersion,
          signal: stop.signal,
          timeoutSeconds: 30,
          idleMs: 10_000,
        })) {
          events.push(e);
          stop.abort();
        }
      })().catch(() => {});
      await new Promise(r => setTimeout(r, 200));
      const svc = items[0];
      cluster.apply([
        { ...svc, metadata: { ...svc.metadata, labels: { moved: 'yes' } } },
      ]);
      await seen;
      expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
        ['MODIFIED', svc.metadata.name],
      ]);
      cluster.apply([svc]);
    } finally {
      await new Promise(done => server.close(done));
    }
  });

  it('passes the API server status of a watch on as it is (410 Gone)', async () => {
    const res = await request(app(podFiles)).post(WATCH_ROUTE).send({
      cluster: 'demo',
      path: '/api/v1/services',
      resourceVersion: '1',
      timeoutSeconds: 5,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text.trim())).toMatchObject({
      type: 'ERROR',
      object: { code: 410 },
    });
  });
});

describe('outside a pod', () => {
  // No mounted CA here: the cluster's configured URL, where nothing answers.
  const outside = () => join(podFiles, 'elsewhere');

  it('reads lists at the configured URL', async () => {
    const res = await request(app(outside()))
      .post(LISTS_ROUTE)
      .send({ cluster: 'demo', reads: [services] });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({
      status: 0,
      problem: 'unreachable',
    });
  });

  it('watches at the configured URL, and says the watch did not open', async () => {
    const res = await request(app(outside())).post(WATCH_ROUTE).send({
      cluster: 'demo',
      path: '/api/v1/services',
      resourceVersion: '1',
      timeoutSeconds: 5,
    });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      /^cluster demo: the watch of \/api\/v1\/services did not open: /,
    );
  });
});
