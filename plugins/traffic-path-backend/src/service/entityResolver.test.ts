import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { scenarioObjects } from '../__testUtils__/scenarioObjects';
import { ObjectBatch } from './clusterFetcher';
import { createEntityResolver, ResolveQuestion } from './entityResolver';
import { entityScope } from './entityScope';
import { entitySelection } from './entitySelection';

const objects = scenarioObjects(
  join(resolve(__dirname, '../../../..'), 'test/scenarios/seed-004/cluster'),
);
const batch: ObjectBatch = {
  objects,
  listedKinds: ['Service', 'Pod'],
  warnings: [],
  calls: 1,
  fetchedAt: 1,
};
const app = (id: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: id, annotations: { 'backstage.io/kubernetes-id': id } },
});
const question = (id: string, extra: Partial<ResolveQuestion> = {}) => {
  const selection = entitySelection(app(id))!;
  return {
    q: {
      cluster: 'demo',
      identity: 'server',
      version: '1',
      entityRef: `component:default/${id}`,
      selection,
      ...extra,
    },
    scope: entityScope(objects, selection),
  };
};

describe('createEntityResolver', () => {
  it("keeps only the routes that end at the entity's Services", () => {
    const { q, scope } = question('app1');
    const report = createEntityResolver({ ttlMs: 0 }).resolve(q, batch, scope);
    expect(report.routes.length).toBeGreaterThan(0);
    expect(
      report.routes.every(
        r =>
          r.backend?.name === 'app1-service' ||
          r.entry.object.name === 'app1-service',
      ),
    ).toBe(true);
    const app2 = question('app2');
    const other = createEntityResolver({ ttlMs: 0 }).resolve(
      app2.q,
      batch,
      app2.scope,
    );
    expect(other.routes.some(r => r.backend?.name === 'app1-service')).toBe(
      false,
    );
  });

  it('answers the same question on the same objects from memory, and a new version afresh', () => {
    const resolver = createEntityResolver({ ttlMs: 30_000 });
    const { q, scope } = question('app1');
    const first = resolver.resolve(q, batch, scope);
    expect(resolver.resolve({ ...q }, batch, scope)).toBe(first);
    expect(resolver.resolve({ ...q, version: '2' }, batch, scope)).not.toBe(
      first,
    );
    expect(
      resolver.resolve({ ...q, clientIp: '203.0.113.7' }, batch, scope),
    ).not.toBe(first);
  });

  it('keeps nothing with a TTL of 0', () => {
    const resolver = createEntityResolver({ ttlMs: 0 });
    const { q, scope } = question('app1');
    expect(resolver.resolve(q, batch, scope)).not.toBe(
      resolver.resolve(q, batch, scope),
    );
  });
});
