/*
 * An entity's objects from a watched cluster's snapshot are those a
 * request-scoped read gives it: resolved, both give the same report.
 */
import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  KubeObject,
  snapshotReads,
} from '@internal/plugin-traffic-path-common';
import { ClusterVersion } from '@internal/plugin-traffic-path-node';
import { scenarioObjects } from '../__testUtils__/scenarioObjects';
import { createEntityResolver } from './entityResolver';
import { entityScope } from './entityScope';
import { entitySelection } from './entitySelection';
import {
  ALL_PODS,
  entityBatch,
  modelReads,
  modelSnapshot,
} from './modelSnapshot';

const root = resolve(__dirname, '../../../..');
const objects = scenarioObjects(join(root, 'test/scenarios/seed-004/cluster'));

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

/** The version a watched cluster makes of these objects, every read synced. */
function versionOf(
  all: KubeObject[],
  failures: ClusterVersion['failures'] = [],
): ClusterVersion {
  const reads = modelReads({ secrets: false });
  return {
    version: 7,
    observedAt: 1_700_000_000_000,
    objectsByRead: reads
      .filter(r => !failures.some(f => f.read === r))
      .map(read => ({
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
    failures,
  };
}

describe('modelReads', () => {
  it('watches every pod once instead of the controller pods by selector', () => {
    const reads = modelReads({ secrets: true });
    expect(reads.filter(r => r.kind === 'Pod')).toEqual([ALL_PODS]);
    expect(reads.length).toBe(
      snapshotReads({ secrets: true }).filter(r => r.kind !== 'Pod').length + 1,
    );
  });
});

describe('entityBatch', () => {
  it('gives an entity what a request-scoped read gives it, so that both resolve the same report', () => {
    const selection = entitySelection(
      component({ 'backstage.io/kubernetes-id': 'app1' }),
    )!;
    const snapshot = modelSnapshot('demo', versionOf(objects));
    const scope = entityScope(snapshot.base, selection);
    const fromModel = entityBatch(snapshot, selection, scope);

    // As the request-scoped path reads it: snapshot (controller pods by selector) + entity pods.
    const selects = (o: KubeObject) =>
      o.metadata.labels?.['backstage.io/kubernetes-id'] === 'app1';
    const controllerPods = snapshot.base.filter(o => o.kind === 'Pod');
    const requestObjects = [
      ...objects.filter(o => o.kind !== 'Pod'),
      ...controllerPods,
      ...objects.filter(o => o.kind === 'Pod' && selects(o)),
    ];
    const question = {
      cluster: 'demo',
      identity: 'x',
      entityRef: 'component:default/x',
      selection,
    };
    const resolver = createEntityResolver({ ttlMs: 0 });
    const model = resolver.resolve(
      { ...question, version: 'model' },
      fromModel,
      scope,
    );
    const request = resolver.resolve(
      { ...question, version: 'request' },
      { ...fromModel, objects: requestObjects },
      scope,
    );
    expect(model.routes.length).toBeGreaterThan(0);
    expect(model).toEqual(request);
    expect(fromModel.calls).toBe(0);
    expect(fromModel.listedKinds).not.toContain('Pod');
  });

  it('adds the pods of namespaces whose Services lack EndpointSlices, listed in full there', () => {
    const withoutSlices = objects.filter(o => o.kind !== 'EndpointSlice');
    const selection = entitySelection(
      component({ 'backstage.io/kubernetes-id': 'app1' }),
    )!;
    const snapshot = modelSnapshot('demo', versionOf(withoutSlices));
    const scope = entityScope(snapshot.base, selection);
    expect(scope.podNamespacesNeeded).toEqual(['app']);
    const batch = entityBatch(snapshot, selection, scope);
    expect(batch.listedKinds).toContain('Pod@app');
    // The entity's own pods come twice, as in a request-scoped read; the resolver keeps each once.
    const appPods = (list: KubeObject[]) =>
      new Set(
        list
          .filter(o => o.kind === 'Pod' && o.metadata.namespace === 'app')
          .map(o => o.metadata.name),
      );
    expect(appPods(batch.objects)).toEqual(appPods(withoutSlices));
  });

  it('turns failed reads into warnings, and a failed required read into missingRequired', () => {
    const reads = modelReads({ secrets: false });
    const nodes = reads.find(r => r.kind === 'Node')!;
    const services = reads.find(r => r.kind === 'Service')!;
    const snapshot = modelSnapshot(
      'demo',
      versionOf(objects, [{ read: nodes }, { read: services }]),
    );
    expect(snapshot.warnings).toEqual([
      'cluster demo: /api/v1/nodes is not listed yet',
      'cluster demo: /api/v1/services is not listed yet',
    ]);
    expect(snapshot.missingRequired).toBe('/api/v1/services');
  });
});
