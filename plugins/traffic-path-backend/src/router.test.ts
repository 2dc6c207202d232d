/*
 * The exposure API's indirect ownership through the router, on stored
 * summaries in SQLite: `ownership=indirect` adds the owners' child groups
 * from the catalog, as far as the user may read them, in the JSON answer,
 * the CSV report and the changes alike.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import {
  openExposureStore,
  StoredEntry,
  StoredSummary,
} from './database/exposureStore';
import { createRouter } from './router';
import { createExposureService } from './service/exposure/exposureService';
import { RoutesService } from './service/routesService';

const group = (name: string, children: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
});

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
});

/* engineering ─┬─ platform-team ── sre
 *              └─ secret-team (alice may not read it) */
const entities = [
  group('engineering', ['platform-team', 'secret-team']),
  group('platform-team', ['sre']),
  group('sre'),
  group('secret-team'),
  component('portal', 'engineering'),
  component('app1', 'platform-team'),
  component('pager', 'sre'),
  component('vault', 'secret-team'),
  component('billing', 'group:default/finance'),
];

const ALICE = 'user:default/alice';
const ADMIN = 'user:default/admin';

/** The catalog as the permission framework filters it: alice reads neither secret-team nor vault. */
function catalogWithPolicy(): CatalogService {
  const catalog = catalogServiceMock({ entities });
  const hidden = new Set([
    'group:default/secret-team',
    'component:default/vault',
  ]);
  return {
    ...catalog,
    async getEntitiesByRefs(req, options) {
      const answer = await catalog.getEntitiesByRefs(req, options);
      const user = (options.credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return {
        items: answer.items.map(e =>
          e &&
          user === ALICE &&
          hidden.has(stringifyEntityRef(e).toLocaleLowerCase('en-US'))
            ? undefined
            : e,
        ),
      };
    },
  } as CatalogService;
}

/** One public entry point, as a scan stores it (host named after the component). */
function entryOf(name: string): StoredEntry {
  return {
    key: `ingress default/${name} ${name}.example.com /`,
    host: `${name}.example.com`,
    path: '/',
    entryKind: 'ingress',
    object: { kind: 'Ingress', namespace: 'default', name },
    exposure: 'public',
    sourceRestriction: { kind: 'none', rules: [] },
    tls: true,
    health: 'ok',
    findings: { error: 0, warning: 0, info: 0, codes: [] },
  } as unknown as StoredEntry;
}

const AT = '2026-12-01T10:00:00.000Z';

async function appWith(options: { catalog: boolean }) {
  const { store, close } = await openExposureStore({
    client: 'better-sqlite3',
    connection: ':memory:',
  });
  for (const e of entities.filter(x => x.kind === 'Component')) {
    const entityRef = stringifyEntityRef(e);
    const summary: StoredSummary = {
      entityRef,
      cluster: 'demo',
      owner: stringifyEntityRef({
        kind: 'group',
        namespace: 'default',
        name: String(e.spec!.owner).replace(/^group:default\//, ''),
      }).toLocaleLowerCase('en-US'),
      scannedAt: AT,
      changedAt: AT,
      entries: [entryOf(e.metadata.name)],
    };
    await store.write(summary, [
      {
        entityRef,
        cluster: 'demo',
        at: AT,
        change: {
          kind: 'entry-added',
          key: summary.entries[0].key,
          host: `${e.metadata.name}.example.com`,
          path: '/',
          object: summary.entries[0].object,
          impact: 'risk',
          message: `new public entry point ${e.metadata.name}.example.com/`,
        },
      },
    ]);
  }
  const catalog = catalogWithPolicy();
  const exposure = createExposureService({
    store,
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    routes: {} as RoutesService,
    concurrency: 1,
  });
  const router = await createRouter({
    routes: {} as RoutesService,
    httpAuth: mockServices.httpAuth(),
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    exposure,
    ...(options.catalog ? { catalog } : {}),
  });
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  const app = express().use(router).use(middleware.error());
  return { app, close };
}

describe('GET /v1/exposure?ownership=indirect', () => {
  let app: express.Express;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await appWith({ catalog: true }));
  });
  afterAll(() => close());

  const get = (path: string, query: string, user = ALICE) =>
    request(app)
      .get(`${path}?${query}`)
      .set('Authorization', mockCredentials.user.header(user));
  const refsIn = (body: { items: { entityRef: string }[] }) =>
    body.items.map(i => i.entityRef).sort();

  it('answers the owner’s own components without it', async () => {
    const res = await get('/v1/exposure', 'owner=group:default/engineering');
    expect(res.status).toBe(200);
    expect(refsIn(res.body)).toEqual(['component:default/portal']);
  });

  it('adds the components of every group below the owner that the user may read', async () => {
    const res = await get(
      '/v1/exposure',
      'owner=engineering&ownership=indirect',
    );
    expect(res.status).toBe(200);
    expect(refsIn(res.body)).toEqual([
      'component:default/app1',
      'component:default/pager',
      'component:default/portal',
    ]);
    expect(
      res.body.items.map((i: { owner: string }) => i.owner).sort(),
    ).toEqual([
      'group:default/engineering',
      'group:default/platform-team',
      'group:default/sre',
    ]);
    // A reader who may see secret-team gets its component too.
    const admin = await get(
      '/v1/exposure',
      'owner=engineering&ownership=indirect',
      ADMIN,
    );
    expect(refsIn(admin.body)).toContain('component:default/vault');
    expect(refsIn(admin.body)).not.toContain('component:default/billing');
  });

  it('says the same in the CSV report and the changes', async () => {
    const csv = await get(
      '/v1/exposure',
      'owner=engineering&ownership=indirect&format=csv',
    );
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('pager.example.com');
    expect(csv.text).toContain('app1.example.com');
    expect(csv.text).not.toContain('vault');
    const changes = await get(
      '/v1/exposure/changes',
      'owner=engineering&ownership=indirect',
    );
    expect(changes.status).toBe(200);
    expect(refsIn(changes.body)).toEqual([
      'component:default/app1',
      'component:default/pager',
      'component:default/portal',
    ]);
    const direct = await get(
      '/v1/exposure/changes',
      'owner=engineering&ownership=direct',
    );
    expect(refsIn(direct.body)).toEqual(['component:default/portal']);
  });

  it('refuses an ownership it does not know', async () => {
    const res = await get('/v1/exposure', 'owner=engineering&ownership=all');
    expect(res.status).toBe(400);
  });
});

it('answers 503 for indirect ownership when the router was given no catalog', async () => {
  const { app, close } = await appWith({ catalog: false });
  try {
    const res = await request(app)
      .get('/v1/exposure?owner=engineering&ownership=indirect')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/catalog/);
    // Direct ownership needs no catalog walk.
    const direct = await request(app)
      .get('/v1/exposure?owner=engineering')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(direct.status).toBe(200);
  } finally {
    await close();
  }
});
