/*
 * The ownership review: summaries kept current by a scan of every entity
 * with Kubernetes annotations, read back for a user with the catalog
 * deciding what the user may see.
 */
import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRoutes,
  EntityRoutes,
} from '@internal/plugin-traffic-path-common';
import pLimit from 'p-limit';
import {
  CheckedWrite,
  ExposureFilter,
  WriteOutcome,
  ExposureStore,
  StoredChange,
  StoredSummary,
} from '../../database/exposureStore';
import { ANNOTATION_ID, ANNOTATION_LABEL_SELECTOR } from '../entitySelection';
import { RoutesService } from '../routesService';
import {
  clusterSummaryUpdate,
  summaryUpdate,
  SummaryUpdate,
} from './summaries';

/** Refs per catalog request when checking what a user may read. */
const VISIBILITY_BATCH = 1000;

export type ScanResult = {
  entities: number;
  summaries: number;
  changes: number;
  failedClusters: number;
  removed: number;
  durationMs: number;
};

export function createExposureService(deps: {
  store: ExposureStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** The routes service the scan reads with (its client bounds requests per cluster). */
  routes: RoutesService;
  /** Entities resolved at once by a scan. */
  concurrency: number;
  /** Called when a scan starts (the scan's cache forgets the last scan's reads). */
  onScanStart?: () => void;
  now?: () => Date;
}) {
  const { store, catalog, auth, logger } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * Writes the updates of entities, each against the summaries it was
   * computed from: an entity whose stored summaries changed meanwhile
   * (another backend wrote the same change) is computed again from them, so
   * a change is recorded once however many backends see it.
   */
  async function writeUpdates(
    entries: {
      entityRef: string;
      compute(previous: StoredSummary[]): SummaryUpdate;
    }[],
    options: { skipUnchanged: boolean },
  ): Promise<{ updates: SummaryUpdate[]; written: number }> {
    const updates: SummaryUpdate[] = new Array(entries.length);
    let written = 0;
    let pending = entries.map((_, i) => i);
    for (let attempt = 0; pending.length; attempt++) {
      const refs = [
        ...new Set(
          pending.map(i => entries[i].entityRef.toLocaleLowerCase('en-US')),
        ),
      ];
      const stored = new Map<string, StoredSummary[]>();
      for (let i = 0; i < refs.length; i += VISIBILITY_BATCH)
        for (const s of await store.summaries({
          entityRefs: refs.slice(i, i + VISIBILITY_BATCH),
        })) {
          const key = s.entityRef.toLocaleLowerCase('en-US');
          stored.set(key, [...(stored.get(key) ?? []), s]);
        }
      const writes: CheckedWrite[] = [];
      const owners: number[] = [];
      for (const i of pending) {
        const previous =
          stored.get(entries[i].entityRef.toLocaleLowerCase('en-US')) ?? [];
        const byCluster = new Map(previous.map(p => [p.cluster, p]));
        const update = entries[i].compute(previous);
        updates[i] = update;
        for (const w of update.write) {
          writes.push({ ...w, expected: byCluster.get(w.summary.cluster) });
          owners.push(i);
        }
        for (const r of update.remove) {
          writes.push({
            ...r,
            expected: byCluster.get(r.summary.cluster),
            remove: true,
          });
          owners.push(i);
        }
      }
      let outcomes: WriteOutcome[];
      try {
        outcomes = await store.writeChecked(writes, options);
      } catch (e) {
        // SQLite shared by two processes: the other one writes; all of these are tried again.
        if ((e as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 4)
          throw e;
        await new Promise(r => setTimeout(r, 20 + Math.random() * 80));
        continue;
      }
      const conflicted = new Set<number>();
      for (const [j, o] of outcomes.entries()) {
        if (o === 'conflict') conflicted.add(owners[j]);
        else if (o === 'written') written++;
      }
      if (conflicted.size && attempt >= 4) {
        logger.warn(
          `exposure: summaries of ${conflicted.size} entities kept changing while written; left to the next scan`,
        );
        break;
      }
      pending = [...conflicted];
    }
    return { updates, written };
  }

  /**
   * The seam for the live model: called with an entity's new routes,
   * rewrites its summaries and records what changed. The scan calls it for
   * every entity; a watch calls recordClusterRoutes when an entity's routes
   * change in one cluster.
   */
  async function recordEntityRoutes(
    entity: Entity,
    routes: EntityRoutes,
    at: Date = now(),
  ) {
    const { updates } = await writeUpdates(
      [
        {
          entityRef: routes.entityRef,
          compute: previous => summaryUpdate(entity, routes, previous, at),
        },
      ],
      { skipUnchanged: false },
    );
    return updates[0];
  }

  /**
   * One watched cluster's new answers for some entities (those whose routes
   * changed there): their summaries of that cluster are rewritten, the
   * others' left as they are; a summary that says what the stored one says
   * is not written.
   */
  async function recordClusterRoutes(
    items: { entity: Entity; routes: ClusterRoutes }[],
    at: Date = now(),
  ) {
    const { updates, written } = await writeUpdates(
      items.map(({ entity, routes }) => {
        const entityRef = stringifyEntityRef(entity);
        return {
          entityRef,
          compute: (previous: StoredSummary[]) =>
            clusterSummaryUpdate(entity, entityRef, routes, previous, at),
        };
      }),
      { skipUnchanged: true },
    );
    return {
      written,
      changes: updates.reduce(
        (n, u) =>
          n +
          [...u.write, ...u.remove].reduce((m, w) => m + w.changes.length, 0),
        0,
      ),
    };
  }

  /** The entities with Kubernetes annotations, as the backend itself may see them. */
  async function annotatedEntities(
    credentials?: BackstageCredentials,
  ): Promise<Entity[]> {
    const { items } = await catalog.getEntities(
      {
        filter: [
          {
            [`metadata.annotations.${ANNOTATION_ID}`]: CATALOG_FILTER_EXISTS,
          },
          {
            [`metadata.annotations.${ANNOTATION_LABEL_SELECTOR}`]:
              CATALOG_FILTER_EXISTS,
          },
        ],
      },
      { credentials: credentials ?? (await auth.getOwnServiceCredentials()) },
    );
    return items;
  }

  /** Which of these refs the user may read, asked of the catalog with the user's credentials. */
  async function visibleRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const visible = new Set<string>();
    for (let i = 0; i < refs.length; i += VISIBILITY_BATCH) {
      const batch = refs.slice(i, i + VISIBILITY_BATCH);
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: batch,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      items.forEach((item, j) => {
        if (item) visible.add(batch[j]);
      });
    }
    return visible;
  }

  async function onlyVisible<T extends { entityRef: string }>(
    rows: T[],
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    const refs = [...new Set(rows.map(r => r.entityRef))];
    if (!refs.length) return rows;
    const visible = await visibleRefs(refs, credentials);
    return rows.filter(r => visible.has(r.entityRef));
  }

  return {
    recordEntityRoutes,
    recordClusterRoutes,

    annotatedEntities,

    /** Resolves every entity with Kubernetes annotations and writes its summaries. */
    async scan(): Promise<ScanResult> {
      const started = Date.now();
      deps.onScanStart?.();
      const credentials = await auth.getOwnServiceCredentials();
      const items = await annotatedEntities(credentials);
      const at = now();
      const limit = pLimit(deps.concurrency);
      const result: ScanResult = {
        entities: items.length,
        summaries: 0,
        changes: 0,
        failedClusters: 0,
        removed: 0,
        durationMs: 0,
      };
      const scanned = new Set<string>();
      await Promise.all(
        items.map(entity =>
          limit(async () => {
            const entityRef = stringifyEntityRef(entity);
            scanned.add(entityRef);
            try {
              const routes = await deps.routes.getEntityRoutes(
                { entityRef },
                credentials,
              );
              const update = await recordEntityRoutes(entity, routes, at);
              result.summaries += update.write.length;
              result.removed += update.remove.length;
              result.failedClusters += update.write.filter(
                w => w.summary.error?.at === at.toISOString(),
              ).length;
              result.changes += [...update.write, ...update.remove].reduce(
                (n, w) => n + w.changes.length,
                0,
              );
            } catch (e) {
              // One entity failing (gone since the list, a bad annotation) leaves the others.
              logger.warn(
                `exposure scan: ${entityRef}: ${(e as Error).message}`,
              );
            }
          }),
        ),
      );
      // Entities no longer in the catalog, or no longer annotated: their entries are removed.
      const gone = (await store.keys()).filter(k => !scanned.has(k.entityRef));
      const goneRefs = [...new Set(gone.map(k => k.entityRef))];
      for (const ref of goneRefs) {
        const previous = await store.summaries({
          entityRefs: [ref.toLocaleLowerCase('en-US')],
        });
        for (const summary of previous) {
          const update = summaryUpdate(
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: ref },
            },
            { entityRef: ref, configured: false, clusters: [] },
            [summary],
            at,
          );
          for (const r of update.remove) {
            await store.remove(r.summary, r.changes);
            result.removed++;
            result.changes += r.changes.length;
          }
        }
      }
      result.durationMs = Date.now() - started;
      logger.info(
        `exposure scan: ${result.entities} entities, ${result.summaries} summaries, ${result.changes} changes, ${result.failedClusters} failed clusters, ${result.removed} removed, in ${result.durationMs} ms`,
      );
      return result;
    },

    /** The summaries the user may read, optionally only their public entry points. */
    async list(
      filter: ExposureFilter,
      options: { publicOnly?: boolean },
      credentials: BackstageCredentials,
    ): Promise<StoredSummary[]> {
      const rows = await onlyVisible(
        await store.summaries(filter),
        credentials,
      );
      if (!options.publicOnly) return rows;
      return rows
        .map(s => ({
          ...s,
          entries: s.entries.filter(e => e.exposure === 'public'),
        }))
        .filter(s => s.entries.length > 0);
    },

    /**
     * The JSON answer of the exposure API (all entry points): the same items
     * as `list`, written from the stored text of the entries, which stays
     * fast with thousands of summaries.
     */
    async listJson(
      filter: ExposureFilter,
      credentials: BackstageCredentials,
    ): Promise<string> {
      const rows = await onlyVisible(
        await store.rawSummaries(filter),
        credentials,
      );
      const items = rows.map(({ entriesJson, ...item }) => {
        const head = JSON.stringify(item);
        return `${head.slice(0, -1)},"entries":${entriesJson}}`;
      });
      return `{"items":[${items.join(',')}]}`;
    },

    /** The changes the user may read, newest first. */
    async changes(
      filter: ExposureFilter,
      options: { since?: string; limit: number },
      credentials: BackstageCredentials,
    ): Promise<StoredChange[]> {
      // Page on until `limit` visible changes: hidden entities' changes must not use up the limit.
      const page = Math.max(options.limit, 200);
      const visible: StoredChange[] = [];
      for (let offset = 0; visible.length < options.limit; offset += page) {
        const rows = await store.changes(filter, {
          since: options.since,
          limit: page,
          offset,
        });
        visible.push(...(await onlyVisible(rows, credentials)));
        if (rows.length < page) break;
      }
      return visible.slice(0, options.limit);
    },

    /** Deletes the changes older than the retention; returns how many. */
    async prune(retentionMs: number): Promise<number> {
      const before = new Date(now().getTime() - retentionMs).toISOString();
      const removed = await store.prune(before);
      if (removed) logger.info(`exposure history: pruned ${removed} changes`);
      return removed;
    },
  };
}

export type ExposureService = ReturnType<typeof createExposureService>;
