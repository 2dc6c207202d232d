/*
 * The objects modelIndex picks for an entity are those the request-scoped
 * way gives it (objectsForEntity over entityBatch), in the same order, for
 * every Service of every scenario taken as an entity; and an entity whose
 * objects did not change in a new snapshot is seen to be unchanged.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { ClusterVersion } from '@internal/plugin-traffic-path-node';
import { scenarioObjects } from '../__testUtils__/scenarioObjects';
import { entityScope, objectsForEntity } from './entityScope';
import { entitySelection } from './entitySelection';
import { entityInputs, inputObjects, sameInputs } from './modelIndex';
import { entityBatch, modelReads, modelSnapshot } from './modelSnapshot';

const root = resolve(__dirname, '../../../../test/scenarios');

/** The version a watched cluster makes of these objects, every read synced. */
function versionOf(all: KubeObject[], version = 1): ClusterVersion {
  const reads = modelReads({ secrets: true });
  return {
    version,
    observedAt: 1_700_000_000_000,
    objectsByRead: reads.map(read => ({
      read,
      objects: all.filter(
        o =>
          o.kind === read.kind &&
          (read.path.startsWith('/api/v1/namespaces/kube-system/')
            ? o.metadata.namespace === 'kube-system'
            : !read.path.includes('?')),
      ),
    })),
    listedKinds: reads.filter(r => r.listed).map(r => r.listed!),
    failures: [],
  };
}

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

/** Entities as teams annotate them: by a Service's pod labels, with and without its namespace, and by kubernetes-id. */
function selectionsOf(objects: KubeObject[]) {
  const out = [];
  for (const service of objects.filter(o => o.kind === 'Service')) {
    const labels = (service.spec as { selector?: Record<string, string> })
      ?.selector;
    if (!labels || !Object.keys(labels).length) continue;
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    out.push(
      component({ 'backstage.io/kubernetes-label-selector': selector }),
      component({
        'backstage.io/kubernetes-label-selector': selector,
        'backstage.io/kubernetes-namespace':
          service.metadata.namespace ?? 'default',
      }),
    );
  }
  for (const id of new Set(
    objects
      .map(o => o.metadata.labels?.['backstage.io/kubernetes-id'])
      .filter((value): value is string => !!value),
  ))
    out.push(component({ 'backstage.io/kubernetes-id': id }));
  return out.map(e => entitySelection(e)!);
}

/** Scenarios with a cluster and at least one Service with a pod selector. */
const scenarios = readdirSync(root).filter(
  name =>
    existsSync(join(root, name, 'cluster')) &&
    selectionsOf(scenarioObjects(join(root, name, 'cluster'))).length > 0,
);

describe('entityInputs', () => {
  it('covers most scenarios', () => {
    expect(scenarios.length).toBeGreaterThan(35);
  });

  it.each(scenarios)(
    'picks the objects of the request-scoped way in %s',
    name => {
      const objects = scenarioObjects(join(root, name, 'cluster'));
      const snapshot = modelSnapshot('c', versionOf(objects));
      const selections = selectionsOf(objects);
      for (const selection of selections) {
        const scope = entityScope(snapshot.base, selection);
        const expected = objectsForEntity(
          entityBatch(snapshot, selection, scope).objects,
          scope,
        );
        const inputs = entityInputs(snapshot, snapshot.index, selection);
        expect(inputs.scope).toEqual(scope);
        const picked = inputObjects(inputs, snapshot.index);
        expect(picked.length).toBe(expected.length);
        picked.forEach((o, i) => expect(o).toBe(expected[i]));
        expect(inputs.listedKinds).toEqual(
          entityBatch(snapshot, selection, scope).listedKinds,
        );
      }
    },
  );

  it("sees an entity unchanged when only another namespace's objects change", () => {
    const objects = scenarioObjects(
      join(root, 'gateway-api-cross-namespace/cluster'),
    );
    const first = modelSnapshot('c', versionOf(objects, 1));
    const selection = entitySelection(
      component({
        'backstage.io/kubernetes-label-selector': 'app=store',
        'backstage.io/kubernetes-namespace': 'store-ns',
      }),
    )!;
    const before = entityInputs(first, first.index, selection);
    expect(before.scope.entityServices).toEqual([
      { namespace: 'store-ns', name: 'store' },
    ]);
    // A new copy of a Service, as a MODIFIED event brings it.
    const copyIn = (namespace: string) =>
      objects.map(o =>
        o.kind === 'Service' && o.metadata.namespace === namespace
          ? structuredClone(o)
          : o,
      );
    const second = modelSnapshot('c', versionOf(copyIn('blog-ns'), 2), first);
    expect(
      sameInputs(before, entityInputs(second, second.index, selection)),
    ).toBe(true);
    const third = modelSnapshot('c', versionOf(copyIn('store-ns'), 3), second);
    expect(
      sameInputs(before, entityInputs(third, third.index, selection)),
    ).toBe(false);
  });
});
