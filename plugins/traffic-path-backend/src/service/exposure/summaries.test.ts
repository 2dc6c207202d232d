import { Entity } from '@backstage/catalog-model';
import { StoredSummary } from '../../database/exposureStore';
import { ownerOf, summaryUpdate, systemOf } from './summaries';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop-web', namespace: 'retail' },
  spec: { owner: 'Shop-Team', system: 'shop' },
};

const stored: StoredSummary = {
  entityRef: 'component:retail/shop-web',
  cluster: 'prod',
  owner: 'group:retail/shop-team',
  scannedAt: '2026-11-30T00:00:00.000Z',
  entries: [
    {
      key: 'shop.example.com/ Ingress web/shop',
      host: 'shop.example.com',
      path: '/',
      entryKind: 'ingress-rule',
      object: { kind: 'Ingress', namespace: 'web', name: 'shop' },
      exposure: 'public',
      sourceRestriction: { kind: 'none', rules: [] },
      tls: true,
      health: 'healthy',
      findings: { error: 0, warning: 0, info: 0, codes: [] },
    },
  ],
};

const at = new Date('2026-12-01T00:00:00.000Z');

describe('summaryUpdate', () => {
  it('reads owner and system as lower-case refs in the entity namespace, relations first', () => {
    expect(ownerOf(entity)).toBe('group:retail/shop-team');
    expect(systemOf(entity)).toBe('system:retail/shop');
    expect(
      ownerOf({
        ...entity,
        relations: [{ type: 'ownedBy', targetRef: 'group:default/Platform' }],
      }),
    ).toBe('group:default/platform');
    expect(systemOf({ ...entity, spec: {} })).toBeUndefined();
  });

  it('keeps the last entries of a cluster that failed, and says when and why', () => {
    const update = summaryUpdate(
      entity,
      {
        entityRef: 'component:retail/shop-web',
        configured: true,
        clusters: [
          {
            cluster: 'prod',
            error: { reason: 'timeout', message: 'no answer in 10 s' },
          },
        ],
      },
      [stored],
      at,
    );
    expect(update.write).toEqual([
      {
        summary: {
          ...stored,
          system: 'system:retail/shop',
          error: {
            reason: 'timeout',
            message: 'no answer in 10 s',
            at: at.toISOString(),
          },
        },
        changes: [],
      },
    ]);
  });

  it('a first failure has no entries and no scan time: nothing is claimed', () => {
    const update = summaryUpdate(
      entity,
      {
        entityRef: 'component:retail/shop-web',
        configured: true,
        clusters: [
          { cluster: 'prod', error: { reason: 'forbidden', message: 'no' } },
        ],
      },
      [],
      at,
    );
    expect(update.write[0].summary.entries).toEqual([]);
    expect(update.write[0].summary.scannedAt).toBeUndefined();
  });

  it('keeps no empty summary in a cluster when the entity has routes in another, and an empty one when it has none anywhere', () => {
    const report = (routes: unknown[]) => ({
      schemaVersion: 1 as const,
      kubeProxyMode: 'iptables' as const,
      routes: routes as any,
      findings: [],
      inputErrors: [],
    });
    const route = {
      id: 'r1',
      entry: {
        kind: 'load-balancer-service',
        object: { kind: 'Service', namespace: 'web', name: 'shop' },
        port: 80,
        tls: false,
        exposure: 'public',
      },
      hops: [],
      table: [],
      health: 'healthy',
    };
    const both = summaryUpdate(
      entity,
      {
        entityRef: 'component:retail/shop-web',
        configured: true,
        clusters: [
          {
            cluster: 'prod',
            report: report([route]),
            warnings: [],
            apiCalls: 1,
          },
          { cluster: 'other', report: report([]), warnings: [], apiCalls: 1 },
        ],
      },
      [],
      at,
    );
    expect(both.write.map(w => w.summary.cluster)).toEqual(['prod']);
    const none = summaryUpdate(
      entity,
      {
        entityRef: 'component:retail/shop-web',
        configured: true,
        clusters: [
          { cluster: 'prod', report: report([]), warnings: [], apiCalls: 1 },
        ],
      },
      [],
      at,
    );
    expect(none.write.map(w => [w.summary.cluster, w.summary.entries])).toEqual(
      [['prod', []]],
    );
  });

  it('removes a cluster the entity is no longer in, recording its entries as removed', () => {
    const update = summaryUpdate(
      entity,
      {
        entityRef: 'component:retail/shop-web',
        configured: false,
        clusters: [],
      },
      [stored],
      at,
    );
    expect(update.write).toEqual([]);
    expect(update.remove).toHaveLength(1);
    expect(update.remove[0].changes).toEqual([
      expect.objectContaining({
        entityRef: 'component:retail/shop-web',
        cluster: 'prod',
        at: at.toISOString(),
        change: expect.objectContaining({
          kind: 'entry-removed',
          host: 'shop.example.com',
        }),
      }),
    ]);
  });
});
