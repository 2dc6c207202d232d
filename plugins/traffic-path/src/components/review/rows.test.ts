/*
 * The review's rows and filters on stored summaries made from real
 * scenarios (testData.ts): what each entry point says about who may reach
 * it, and which rows each filter keeps.
 */
import {
  allowlistText,
  entryPointText,
  filterRows,
  isOpenToInternet,
  noFilters,
  pageOf,
  restrictionText,
  rowsOf,
  valuesOf,
} from './rows';
import { reviewChanges, reviewItems } from './__testUtils__/reviewData';

const rows = rowsOf(reviewItems(), reviewChanges());
const of = (name: string) =>
  rows.filter(r => r.entityRef === `component:default/${name}`);

describe('rowsOf', () => {
  it('has a row per entry point, and one for a summary without entry points', () => {
    expect(of('batch')).toHaveLength(1);
    expect(entryPointText(of('batch')[0].entry)).toBe('no entry points');
    expect(of('app3').map(r => entryPointText(r.entry))).toEqual([
      'app3.qas.abc.com/',
    ]);
    expect(of('shop').map(r => entryPointText(r.entry))).toEqual([
      'port 80 (Service shop/web)',
    ]);
  });

  it('says open to the internet for a public load balancer without source restriction', () => {
    const [shop] = of('shop');
    expect(isOpenToInternet(shop.entry!)).toBe(true);
    expect(restrictionText(shop.entry!)).toBe('open to the internet');
  });

  it('names the source ranges, the cloud ACL by id and the ingress allowlist', () => {
    expect(restrictionText(of('admin')[0].entry!)).toBe(
      'ranges 198.51.100.0/24, 2001:db8:10::/48',
    );
    const [app3] = of('app3');
    expect(app3.entry!.exposure).toBe('internal');
    expect(restrictionText(app3.entry!)).toBe(
      'cloud ACL Alibaba Cloud ACL acl-2ze0app3 (whitelist)',
    );
    const partners = of('partners').find(r => r.entry?.host)!;
    expect(isOpenToInternet(partners.entry!)).toBe(false);
    expect(restrictionText(partners.entry!)).toBe('none at the load balancer');
    expect(allowlistText(partners.entry!)).toBe('10.8.0.0/16, 203.0.113.0/24');
  });

  it('keeps unknown what the stored summary cannot prove', () => {
    const [orders] = of('orders');
    expect(orders.entry!.exposure).toBe('unknown');
    expect(isOpenToInternet(orders.entry!)).toBe(false);
    expect(restrictionText(orders.entry!)).toBe('unknown');
    expect(allowlistText(orders.entry!)).toBe('unknown');
  });

  it('counts the whole internet in source ranges as open', () => {
    const entry = {
      ...of('admin')[0].entry!,
      sourceRestriction: {
        kind: 'ranges' as const,
        rules: [
          {
            hop: 'load-balancer',
            origin: 'spec.loadBalancerSourceRanges',
            mode: 'allow' as const,
            cidrs: ['0.0.0.0/0', '::/0'],
          },
        ],
      },
    };
    expect(isOpenToInternet(entry)).toBe(true);
  });

  it('gives each row its entity’s changes in that cluster, and the scan error', () => {
    expect(of('admin')[0].changes.map(c => c.change.kind)).toEqual([
      'restriction-removed',
    ]);
    expect(of('shop')[0].changes).toEqual([]);
    expect(of('app3')[0].scanError).toBe(
      'the cluster did not answer in 10 s (timeout)',
    );
  });
});

describe('filterRows', () => {
  const names = (filters: Partial<typeof noFilters>) => [
    ...new Set(
      filterRows(rows, { ...noFilters, ...filters }).map(r =>
        r.entityRef.replace('component:default/', ''),
      ),
    ),
  ];

  it('keeps every row without filters', () => {
    expect(filterRows(rows, noFilters)).toHaveLength(rows.length);
  });

  it('filters by owner and by cluster', () => {
    expect(names({ owners: ['group:default/team-edge'] })).toEqual([
      'admin',
      'partners',
    ]);
    expect(names({ clusters: ['prod-us'] })).toEqual([
      'app3',
      'orders',
      'ledger',
      'batch',
    ]);
  });

  it('keeps public entry points, those open to the internet, those with errors', () => {
    expect(names({ publicOnly: true })).toEqual([
      'shop',
      'admin',
      'ledger',
      'partners',
    ]);
    expect(names({ openToInternet: true })).toEqual([
      'shop',
      'ledger',
      'partners',
    ]);
    // orders has an error finding; app3's last scan failed.
    expect(names({ withErrors: true })).toEqual(['app3', 'orders']);
  });

  it('keeps the entities changed since a time', () => {
    expect(names({ changedSince: '2026-12-01T00:00:00.000Z' })).toEqual([
      'admin',
    ]);
    expect(names({ changedSince: '2026-12-02T00:00:00.000Z' })).toEqual([]);
  });

  it('lists the owners and clusters for the pickers', () => {
    expect(valuesOf(rows, 'owner')).toEqual([
      'group:default/team-data',
      'group:default/team-edge',
      'group:default/team-web',
    ]);
    expect(valuesOf(rows, 'cluster')).toEqual(['prod-eu', 'prod-us']);
  });
});

describe('pageOf', () => {
  // Thousands of rows made from the scenarios' entry points, as the page holds them.
  const many = Array.from({ length: 2500 }, (_, i) => {
    const row = rows[i % rows.length];
    return {
      ...row,
      entityRef: `component:default/svc-${String(i).padStart(4, '0')}`,
      entryPoint: entryPointText(row.entry),
      lastSeen: i,
    };
  });
  const request = {
    search: '',
    searchFields: ['entityRef', 'entryPoint', 'cluster'] as Array<
      keyof (typeof many)[number]
    >,
    orderDirection: '' as const,
    page: 0,
    pageSize: 50,
  };

  it('sorts all rows before it cuts the page', () => {
    const newest = pageOf(many, {
      ...request,
      orderBy: 'lastSeen',
      orderType: 'numeric',
      orderDirection: 'desc',
    });
    expect(newest.totalCount).toBe(2500);
    expect(newest.data).toHaveLength(50);
    expect(newest.data[0].lastSeen).toBe(2499);
    const last = pageOf(many, {
      ...request,
      orderBy: 'entityRef',
      orderDirection: 'desc',
      page: 49,
    });
    expect(last.data.at(-1)!.entityRef).toBe('component:default/svc-0000');
  });

  it('searches every row in the columns’ fields, case-insensitively', () => {
    const found = pageOf(many, { ...request, search: 'APP3.qas' });
    expect(found.totalCount).toBe(
      many.filter(r => r.entryPoint === 'app3.qas.abc.com/').length,
    );
    expect(found.data.every(r => r.entryPoint === 'app3.qas.abc.com/')).toBe(
      true,
    );
  });

  it('keeps the page within the pages there are when the rows shrink', () => {
    const shrunk = pageOf(many.slice(0, 120), { ...request, page: 40 });
    expect(shrunk.page).toBe(2);
    expect(shrunk.data).toHaveLength(20);
    expect(pageOf([], { ...request, page: 3 })).toEqual({
      data: [],
      page: 0,
      totalCount: 0,
    });
  });
});
