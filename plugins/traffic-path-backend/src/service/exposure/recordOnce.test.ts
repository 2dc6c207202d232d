/*
 * Several backends each keep their own live model and each rewrite the
 * summaries of a batch they all see: over one database (SQLite file,
 * PostgreSQL for real), the same change is recorded once, and a summary
 * that says what the stored one says is not written again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ClusterRoutes,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { Knex } from 'knex';
import { openExposureStore } from '../../database/exposureStore';
import { scenarioObjects } from '../../__testUtils__/scenarioObjects';
import {
  startPostgres,
  TestPostgres,
} from '../../__testUtils__/postgresServer';
import { entityReport } from '../entityResolver';
import { createExposureService } from './exposureService';

const scenarios = resolve(__dirname, '../../../../../test/scenarios');

const app3: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'app3',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'app3' },
  },
  spec: { owner: 'platform-team' },
};

/** app3's answer in the demo cluster's scenario: its routes to app3-service. */
function answerIn(scenario: string): ClusterRoutes {
  const report = entityReport(
    resolveReport(scenarioObjects(join(scenarios, scenario, 'cluster'))),
    [{ namespace: 'app', name: 'app3-service' }],
  );
  return { cluster: 'demo', report, warnings: [], apiCalls: 0, mode: 'watch' };
}

const backendOf = (
  store: Awaited<ReturnType<typeof openExposureStore>>['store'],
) =>
  createExposureService({
    store,
    catalog: {} as never,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    routes: {} as never,
    concurrency: 1,
  });

let postgres: TestPostgres | undefined;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'traffic-path-record-once-'));
});
afterAll(() => {
  postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const databases: [string, () => Promise<Knex.Config>][] = [
  [
    'SQLite',
    async () => ({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'shared.sqlite') },
    }),
  ],
  [
    'PostgreSQL',
    async () => {
      postgres = await startPostgres();
      return { client: 'pg', connection: postgres.connection };
    },
  ],
];

describe.each(databases)('on %s', (_name, database) => {
  it('records a change seen by two backends once, and writes nothing for a summary that did not change', async () => {
    const config = await database();
    // Two backends: each its own connections to the one database.
    const one = await openExposureStore(config);
    const two = await openExposureStore(config);
    try {
      const [a, b] = [backendOf(one.store), backendOf(two.store)];
      const t0 = new Date('2026-12-01T10:00:00Z');
      await a.recordClusterRoutes(
        [{ entity: app3, routes: answerIn('seed-004') }],
        t0,
      );
      expect(await one.store.summaries()).toHaveLength(1);

      // The ACL leaves app3's load balancer; both backends see the batch.
      const after = answerIn('diff-exposure');
      const t1 = new Date('2026-12-01T10:05:00Z');
      const results = await Promise.all([
        a.recordClusterRoutes([{ entity: app3, routes: after }], t1),
        b.recordClusterRoutes([{ entity: app3, routes: after }], t1),
      ]);
      expect(results.map(r => r.written).sort()).toEqual([0, 1]);
      const changes = await one.store.changes({}, { limit: 100 });
      expect(changes.map(c => c.change.kind)).toContain('restriction-removed');
      expect(results[0].changes + results[1].changes).toBe(changes.length);
      // Each change once.
      const kinds = changes.map(c => JSON.stringify(c.change));
      expect(new Set(kinds).size).toBe(kinds.length);

      // The same answer again (a later batch): nothing written, no change.
      const writes = one.store.counts().written + two.store.counts().written;
      const again = await b.recordClusterRoutes(
        [{ entity: app3, routes: after }],
        new Date('2026-12-01T10:10:00Z'),
      );
      expect(again).toEqual({ written: 0, changes: 0 });
      expect(one.store.counts().written + two.store.counts().written).toBe(
        writes,
      );
      const [summary] = await two.store.summaries();
      expect(summary.scannedAt).toBe(t1.toISOString());
      expect(summary.changedAt).toBe(t1.toISOString());
    } finally {
      await one.close();
      await two.close();
    }
  });
});
