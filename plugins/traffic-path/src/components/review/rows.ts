/*
 * The review table's rows: one per entry point of each stored summary (and
 * one for a summary without entry points, so a scanned component never
 * silently drops out), with what the columns show and the filters read.
 * Pure, so the filters are tested without rendering.
 */
import type {
  ExposureRule,
  FindingCounts,
} from '@internal/plugin-traffic-path-common';
import type {
  ExposureChangeItem,
  ExposureItem,
  ExposureItemEntry,
} from '../../api';

export type ReviewRow = {
  id: string;
  entityRef: string;
  owner?: string;
  system?: string;
  cluster: string;
  /** Absent while no scan of the entity succeeded. */
  scannedAt?: string;
  /** Absent: the summary has no entry points. */
  entry?: ExposureItemEntry;
  /** Why the entity's last scan failed (its entries are those of the scan before). */
  scanError?: string;
  openToInternet: boolean;
  findings: FindingCounts;
  /** The entity's recorded changes (newest first) in this cluster. */
  changes: ExposureChangeItem[];
};

const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

function activeAllowRules(entry: ExposureItemEntry): ExposureRule[] {
  return (entry.sourceRestriction.rules ?? []).filter(
    r => r.mode === 'allow' && !r.ignored,
  );
}

/**
 * Public, and nothing on the way limits the sources: no allow rule at all,
 * or only ranges that are the whole internet. A cloud ACL kept outside the
 * cluster is a restriction we cannot read, so it does not count as open.
 */
export function isOpenToInternet(entry: ExposureItemEntry): boolean {
  if (entry.exposure !== 'public') return false;
  const kind = entry.sourceRestriction.kind;
  if (kind === 'unknown') return false;
  const rules = activeAllowRules(entry);
  if (rules.length === 0) return kind === 'none';
  return rules.every(
    r =>
      r.description === undefined &&
      r.cidrs.length > 0 &&
      r.cidrs.every(c => ANY_ADDRESS.has(c)),
  );
}

/** The source restriction at the load balancer, in words. */
export function restrictionText(entry: ExposureItemEntry): string {
  const rules = activeAllowRules(entry).filter(r => r.hop === 'load-balancer');
  if (isOpenToInternet(entry)) return 'open to the internet';
  switch (entry.sourceRestriction.kind) {
    case 'ranges':
      return `ranges ${rules
        .filter(r => r.description === undefined)
        .flatMap(r => r.cidrs)
        .join(', ')}`;
    case 'cloud-acl':
      return `cloud ACL ${
        rules
          .map(r => r.description)
          .filter(Boolean)
          .join(', ') || '(not visible)'
      }`;
    case 'allowlist':
      return 'none at the load balancer';
    case 'none':
      return entry.exposure === 'internal' ? 'none (internal network)' : 'none';
    default:
      return 'unknown';
  }
}

/** The ingress allowlist (rules after the load balancer), in words. */
export function allowlistText(entry: ExposureItemEntry): string {
  const rules = (entry.sourceRestriction.rules ?? []).filter(
    r => r.hop !== 'load-balancer' && r.mode === 'allow',
  );
  if (rules.length === 0)
    return entry.sourceRestriction.kind === 'unknown' ? 'unknown' : 'none';
  return rules
    .map(
      r =>
        `${r.description ?? r.cidrs.join(', ')}${
          r.ignored ? ' (ignored)' : ''
        }`,
    )
    .join('; ');
}

/** Domain and path, or the port of an entry point without a host. */
export function entryPointText(entry: ExposureItemEntry | undefined): string {
  if (!entry) return 'no entry points';
  if (entry.host !== undefined || entry.path !== undefined)
    return `${entry.host ?? '*'}${entry.path ?? ''}`;
  const object = entry.object
    ? `${entry.object.kind} ${
        entry.object.namespace ? `${entry.object.namespace}/` : ''
      }${entry.object.name}`
    : undefined;
  if (entry.port !== undefined)
    return `port ${entry.port}${object ? ` (${object})` : ''}`;
  return object ?? 'entry point';
}

export function loadBalancerText(entry: ExposureItemEntry | undefined): string {
  const lb = entry?.loadBalancer;
  if (!lb) return entry ? 'none' : '';
  const where = lb.addresses?.length ? lb.addresses.join(', ') : 'no address';
  return `${lb.provider ?? 'load balancer'} ${where}${
    lb.id ? ` (${lb.id})` : ''
  }`;
}

const NO_FINDINGS: FindingCounts = { error: 0, warning: 0, info: 0 };

function countsOf(entry: ExposureItemEntry | undefined): FindingCounts {
  const f = entry?.findings;
  if (!f) return NO_FINDINGS;
  return { error: f.error ?? 0, warning: f.warning ?? 0, info: f.info ?? 0 };
}

function newestFirst(a: ExposureChangeItem, b: ExposureChangeItem): number {
  return Date.parse(b.at) - Date.parse(a.at);
}

export function rowsOf(
  items: ExposureItem[],
  changes: ExposureChangeItem[] = [],
): ReviewRow[] {
  const byEntity = new Map<string, ExposureChangeItem[]>();
  for (const c of changes) {
    const list = byEntity.get(c.entityRef) ?? [];
    list.push(c);
    byEntity.set(c.entityRef, list);
  }
  return items.flatMap((item): ReviewRow[] => {
    const itemChanges = (byEntity.get(item.entityRef) ?? [])
      .filter(c => c.cluster === item.cluster)
      .sort(newestFirst);
    const base = {
      entityRef: item.entityRef,
      ...(item.owner ? { owner: item.owner } : {}),
      ...(item.system ? { system: item.system } : {}),
      cluster: item.cluster,
      ...(item.scannedAt ? { scannedAt: item.scannedAt } : {}),
      ...(item.error
        ? { scanError: `${item.error.message} (${item.error.reason})` }
        : {}),
      changes: itemChanges,
    };
    const entries = item.entries ?? [];
    if (entries.length === 0) {
      return [
        {
          ...base,
          id: `${item.entityRef} ${item.cluster}`,
          openToInternet: false,
          findings: NO_FINDINGS,
        },
      ];
    }
    return entries.map((entry, i) => ({
      ...base,
      id: `${item.entityRef} ${item.cluster} ${entry.key ?? i}`,
      entry,
      openToInternet: isOpenToInternet(entry),
      findings: countsOf(entry),
    }));
  });
}

export type ReviewFilters = {
  /** Owner refs; empty: every owner. */
  owners: string[];
  /** Cluster names; empty: every cluster. */
  clusters: string[];
  publicOnly: boolean;
  openToInternet: boolean;
  /** Entry points with error findings, or whose scan failed. */
  withErrors: boolean;
  /** ISO time: only entities with a change seen at or after it. */
  changedSince?: string;
};

export const noFilters: ReviewFilters = {
  owners: [],
  clusters: [],
  publicOnly: false,
  openToInternet: false,
  withErrors: false,
};

export function filterRows<T extends ReviewRow>(
  rows: T[],
  filters: ReviewFilters,
): T[] {
  const owners = new Set(filters.owners);
  const clusters = new Set(filters.clusters);
  const since = filters.changedSince
    ? Date.parse(filters.changedSince)
    : undefined;
  return rows.filter(row => {
    if (owners.size > 0 && !(row.owner && owners.has(row.owner))) return false;
    if (clusters.size > 0 && !clusters.has(row.cluster)) return false;
    if (filters.publicOnly && row.entry?.exposure !== 'public') return false;
    if (filters.openToInternet && !row.openToInternet) return false;
    if (filters.withErrors && row.findings.error === 0 && !row.scanError)
      return false;
    if (
      since !== undefined &&
      !row.changes.some(c => Date.parse(c.at) >= since)
    )
      return false;
    return true;
  });
}

/** The distinct values of a field, sorted, for the filter pickers. */
export function valuesOf(
  rows: ReviewRow[],
  field: 'owner' | 'cluster',
): string[] {
  return [
    ...new Set(rows.map(r => r[field]).filter((v): v is string => !!v)),
  ].sort();
}

/** What the table asks for one page: its search text, sort and page (material-table's remote query). */
export type PageRequest<T> = {
  search: string;
  /** The fields the search looks in (the columns'). */
  searchFields: Array<keyof T>;
  orderBy?: keyof T;
  /** Numbers sort as numbers, the rest by code unit. */
  orderType?: 'numeric' | 'string';
  orderDirection: 'asc' | 'desc' | '';
  page: number;
  pageSize: number;
};

function compareValues(a: unknown, b: unknown, numeric: boolean): number {
  if (numeric) return (Number(a) || 0) - (Number(b) || 0);
  // Empty values first, as the table's own sort does.
  if (a !== b) {
    if (a === undefined || a === null || a === '') return -1;
    if (b === undefined || b === null || b === '') return 1;
  }
  const x = String(a);
  const y = String(b);
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

/**
 * One page of the rows as the table shows them: searched, sorted and cut
 * over all rows (thousands of them), so that the table itself renders
 * only the page. The page is kept within the pages there are.
 */
export function pageOf<T extends object>(
  rows: T[],
  request: PageRequest<T>,
): { data: T[]; page: number; totalCount: number } {
  const text = request.search.trim().toLocaleUpperCase();
  const searched = text
    ? rows.filter(row =>
        request.searchFields.some(field => {
          const value = row[field];
          return (
            value !== undefined &&
            value !== null &&
            String(value).toLocaleUpperCase().includes(text)
          );
        }),
      )
    : rows;
  let sorted = searched;
  const { orderBy, orderDirection } = request;
  if (orderBy !== undefined && orderDirection) {
    const numeric = request.orderType === 'numeric';
    const sign = orderDirection === 'desc' ? -1 : 1;
    sorted = [...searched].sort(
      (a, b) => sign * compareValues(a[orderBy], b[orderBy], numeric),
    );
  }
  const pages = Math.max(1, Math.ceil(sorted.length / request.pageSize));
  const page = Math.min(Math.max(0, request.page), pages - 1);
  return {
    data: sorted.slice(page * request.pageSize, (page + 1) * request.pageSize),
    page,
    totalCount: sorted.length,
  };
}
