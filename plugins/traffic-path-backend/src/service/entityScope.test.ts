import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { scenarioObjects } from '../__testUtils__/scenarioObjects';
import { createEntityResolver } from './entityResolver';
import { entityScope, objectsForEntity } from './entityScope';
import { entitySelection } from './entitySelection';

const objects = scenarioObjects(
  join(
    resolve(__dirname, '../../../..'),
    'test/scenarios/gateway-api-cross-namespace/cluster',
  ),
);
const search: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'search',
    annotations: { 'backstage.io/kubernetes-label-selector': 'app=search' },
  },
};
const selection = entitySelection(search)!;
const scope = entityScope(objects, selection);
const routesOf = (kept: typeof objects) =>
  kept
    .filter(o => o.kind === 'HTTPRoute')
    .map(o => `${o.metadata.namespace}/${o.metadata.name}`)
    .sort();

describe('objectsForEntity', () => {
  it("keeps the Gateway API routes of other namespaces that send to the entity's namespace", () => {
    expect(scope.entityServices).toEqual([
      { namespace: 'shared-svc', name: 'search' },
    ]);
    expect(routesOf(objectsForEntity(objects, scope))).toEqual([
      'site-ns/search',
      'store-ns/store',
    ]);
  });

  it('gives the entity the cross-namespace routes to its Service, granted or not', () => {
    const report = createEntityResolver({ ttlMs: 0 }).resolve(
      {
        cluster: 'demo',
        identity: 'server',
        version: '1',
        entityRef: 'component:default/search',
        selection,
      },
      {
        objects,
        listedKinds: ['Service', 'Pod', 'ReferenceGrant', 'HTTPRoute'],
        warnings: [],
        calls: 1,
        fetchedAt: 1,
      },
      scope,
    );
    const byId = new Map(report.routes.map(r => [r.id, r]));
    expect(byId.get('httproute:site-ns/search:0:https:0:0:0:0')).toMatchObject({
      health: 'healthy',
      backend: { kind: 'Service', namespace: 'shared-svc', name: 'search' },
    });
    expect(byId.get('httproute:store-ns/store:0:https:0:1:0:0')).toMatchObject({
      health: 'broken',
    });
    expect(report.findings.map(f => f.code)).toContain(
      'REFERENCE_NOT_PERMITTED',
    );
  });

  it('keeps Ingresses of its own namespaces only, as an Ingress cannot send elsewhere', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'elsewhere', namespace: 'site-ns' },
    };
    expect(
      objectsForEntity([...objects, ingress], scope).some(
        o => o.kind === 'Ingress',
      ),
    ).toBe(false);
  });
});
