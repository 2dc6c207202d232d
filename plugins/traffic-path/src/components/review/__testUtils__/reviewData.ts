/*
 * Review test data: the stored summaries the backend keeps, made here by
 * the engine's exposureOf from the scenarios under test/scenarios, so the
 * review is tested on real cluster objects.
 */
import { exposureOf } from '@internal/plugin-traffic-path-common';
import { scenarioReport } from '../../../__testUtils__/scenarios';
import type { ExposureChangeItem, ExposureItem } from '../../../api';

/** One entity's stored summary of a scenario, as GET /v1/exposure answers it. */
export function storedItem(
  scenario: string,
  item: Omit<ExposureItem, 'entries'>,
  options: {
    /** Only the entry points that end at this Service. */
    service?: string;
    /** The scenario's cluster is completed by test/scenarios/_shared (the ingress controllers). */
    shared?: boolean;
  } = {},
): ExposureItem {
  const { service, shared } = options;
  const { entries: all } = exposureOf(
    scenarioReport([`${scenario}/cluster`, ...(shared ? ['_shared'] : [])]),
  );
  const entries = service
    ? all.filter(
        e =>
          e.backend?.name === service ||
          (e.object.kind === 'Service' && e.object.name === service),
      )
    : all;
  // The API leaves out the client verdict and the object list.
  return {
    ...item,
    entries: entries.map(({ verdict: _v, objects: _o, ...entry }) => entry),
  };
}

/** Owners and clusters of the review tests: team-web (with child team-edge) and team-data. */
export function reviewItems(): ExposureItem[] {
  return [
    storedItem('public-without-source-restriction', {
      entityRef: 'component:default/shop',
      owner: 'group:default/team-web',
      system: 'system:default/storefront',
      cluster: 'prod-eu',
      scannedAt: '2026-12-01T20:00:00.000Z',
    }),
    storedItem('lb-source-ranges', {
      entityRef: 'component:default/admin',
      owner: 'group:default/team-edge',
      system: 'system:default/storefront',
      cluster: 'prod-eu',
      scannedAt: '2026-12-01T19:00:00.000Z',
    }),
    storedItem(
      'seed-004',
      {
        entityRef: 'component:default/app3',
        owner: 'group:default/team-data',
        cluster: 'prod-us',
        scannedAt: '2026-11-30T08:00:00.000Z',
        error: {
          reason: 'timeout',
          message: 'the cluster did not answer in 10 s',
          at: '2026-12-01T20:00:00.000Z',
        },
      },
      { service: 'app3-service' },
    ),
    storedItem('backend-service-not-found', {
      entityRef: 'component:default/orders',
      owner: 'group:default/team-data',
      cluster: 'prod-us',
      scannedAt: '2026-12-01T17:00:00.000Z',
    }),
    storedItem('network-policy-ipblock-lb', {
      entityRef: 'component:default/ledger',
      owner: 'group:default/team-data',
      cluster: 'prod-us',
      scannedAt: '2026-12-01T16:00:00.000Z',
    }),
    storedItem(
      'ingress-allowlist-local',
      {
        entityRef: 'component:default/partners',
        owner: 'group:default/team-edge',
        cluster: 'prod-eu',
        scannedAt: '2026-12-01T19:30:00.000Z',
      },
      { shared: true },
    ),
    {
      entityRef: 'component:default/batch',
      owner: 'group:default/team-data',
      cluster: 'prod-us',
      scannedAt: '2026-12-01T18:00:00.000Z',
      entries: [],
    },
  ];
}

export function reviewChanges(): ExposureChangeItem[] {
  return [
    {
      entityRef: 'component:default/admin',
      cluster: 'prod-eu',
      at: '2026-12-01T19:00:00.000Z',
      change: {
        kind: 'restriction-removed',
        key: 'admin',
        object: { kind: 'Service', namespace: 'default', name: 'admin' },
        impact: 'risk',
        message: 'admin: the source ranges 0.0.0.0/0 were removed',
      },
    },
  ];
}
