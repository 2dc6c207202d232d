/*
 * From an entity's routes to its stored summaries: one per cluster, each
 * compared with the last one through the engine's diffExposure (the same
 * comparison as the CLI's `diff`). Pure: the scan and, later, the live
 * model call it and write what it returns.
 */
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ClusterRoutes,
  diffExposure,
  EntityRoutes,
  ExposureEntry,
  exposureOf,
  ExposureSummary,
  Report,
} from '@internal/plugin-traffic-path-common';
import {
  StoredChange,
  StoredEntry,
  StoredSummary,
} from '../../database/exposureStore';

/** Lower case, as the catalog writes relation targets: refs compare equal whatever their spelling. */
function refOf(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

export function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef.toLocaleLowerCase('en-US');
  return refOf(
    entity.spec?.owner,
    'group',
    entity.metadata.namespace ?? 'default',
  );
}

export function systemOf(entity: Entity): string | undefined {
  return refOf(
    entity.spec?.system,
    'system',
    entity.metadata.namespace ?? 'default',
  );
}

/** The entry points of a report as stored: without a client verdict and the object list. */
export function storedEntries(report: Report): StoredEntry[] {
  return exposureOf(report).entries.map(
    ({ objects: _objects, verdict: _verdict, ...entry }) => entry,
  );
}

/** diffExposure reads neither objects nor verdicts; stored entries lack both. */
const asSummary = (entries: StoredEntry[]): ExposureSummary => ({
  entries: entries.map(e => ({ ...e, objects: [] } as ExposureEntry)),
});

export type SummaryUpdate = {
  /** Summaries to write, each with the changes since the last one. */
  write: { summary: StoredSummary; changes: StoredChange[] }[];
  /** Summaries of clusters the entity is no longer in, with their entries as removed. */
  remove: { summary: StoredSummary; changes: StoredChange[] }[];
};

function changesOf(
  entityRef: string,
  cluster: string,
  at: string,
  before: StoredSummary | undefined,
  after: StoredEntry[],
): StoredChange[] {
  // The first summary is the baseline: there is nothing to compare it with.
  if (!before?.scannedAt) return [];
  return diffExposure(asSummary(before.entries), asSummary(after)).map(
    change => ({ entityRef, cluster, at, change }),
  );
}

/**
 * The summaries an entity's routes give, against the last ones stored for
 * it. A cluster that failed keeps its last entries and says when and why
 * it failed; a cluster the entity is no longer in is removed.
 */
export function summaryUpdate(
  entity: Entity,
  routes: EntityRoutes,
  previous: StoredSummary[],
  at: Date,
): SummaryUpdate {
  const when = at.toISOString();
  const entityRef = routes.entityRef;
  const owner = ownerOf(entity);
  const system = systemOf(entity);
  const byCluster = new Map(previous.map(s => [s.cluster, s]));
  const update: SummaryUpdate = { write: [], remove: [] };
  const seen = new Set<string>();
  const results = routes.configured ? routes.clusters : [];
  const routed = (r: (typeof results)[number]) =>
    'report' in r && r.report.routes.length > 0;
  const routedSomewhere = results.some(routed);
  for (const result of results) {
    // Every cluster is asked under multiTenant: where an entity with routes
    // elsewhere has none, it is taken not to be there (a summary it had
    // there is removed below). An entity without routes anywhere keeps an
    // empty summary per cluster, so the review says it was scanned.
    if (routedSomewhere && 'report' in result && !routed(result)) continue;
    seen.add(result.cluster);
    const before = byCluster.get(result.cluster);
    const base = {
      entityRef,
      cluster: result.cluster,
      ...(owner ? { owner } : {}),
      ...(system ? { system } : {}),
    };
    if ('error' in result) {
      update.write.push({
        summary: {
          ...base,
          ...(before?.scannedAt ? { scannedAt: before.scannedAt } : {}),
          ...(before?.changedAt ? { changedAt: before.changedAt } : {}),
          error: {
            reason: result.error.reason,
            message: result.error.message,
            at: when,
          },
          entries: before?.entries ?? [],
        },
        changes: [],
      });
      continue;
    }
    const entries = storedEntries(result.report);
    const changes = changesOf(entityRef, result.cluster, when, before, entries);
    const changedAt = changes.length ? when : before?.changedAt;
    update.write.push({
      summary: {
        ...base,
        scannedAt: when,
        ...(changedAt ? { changedAt } : {}),
        entries,
      },
      changes,
    });
  }
  for (const before of previous) {
    if (seen.has(before.cluster)) continue;
    update.remove.push({
      summary: before,
      changes: changesOf(entityRef, before.cluster, when, before, []),
    });
  }
  return update;
}

const routedIn = (r: ClusterRoutes) =>
  'report' in r && r.report.routes.length > 0;

/**
 * The summaries one cluster's new answer gives an entity (the live model's
 * batch of that cluster), against all it has stored: the same as
 * summaryUpdate would give with every cluster asked, taking the other
 * clusters' stored summaries for their answers. Where the entity now has
 * routes, the empty summaries of clusters it has none in are removed;
 * where it has none but has some elsewhere, this cluster's is removed.
 */
export function clusterSummaryUpdate(
  entity: Entity,
  entityRef: string,
  result: ClusterRoutes,
  previous: StoredSummary[],
  at: Date,
): SummaryUpdate {
  const here = previous.filter(s => s.cluster === result.cluster);
  const elsewhere = previous.filter(s => s.cluster !== result.cluster);
  const routedElsewhere = elsewhere.some(s => s.entries.length > 0);
  if ('report' in result && !routedIn(result) && routedElsewhere) {
    return summaryUpdate(
      entity,
      { entityRef, configured: true, clusters: [] },
      here,
      at,
    );
  }
  const update = summaryUpdate(
    entity,
    { entityRef, configured: true, clusters: [result] },
    here,
    at,
  );
  if (routedIn(result))
    for (const empty of elsewhere.filter(
      s => s.entries.length === 0 && !s.error,
    ))
      update.remove.push({ summary: empty, changes: [] });
  return update;
}
