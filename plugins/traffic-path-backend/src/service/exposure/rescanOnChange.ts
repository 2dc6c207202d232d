/*
 * With the live model (trafficPath.watch), a summary is rewritten when the
 * entity's routes change. On each batch of a watched cluster (a moment
 * after it, later batches coalescing into the same pass), every entity with
 * Kubernetes annotations in that cluster is answered from the snapshot (a
 * lookup unless its objects changed, modelAnswers), and only those whose
 * entry points differ from the last ones seen here (a digest per entity and
 * cluster, as the signals of open cards do) go to the store, through the
 * same seam as the scan (ExposureService). Each backend keeps its own model
 * and does this itself: the store writes a summary only against the one it
 * was computed from, and not at all when it says the same, so a change is
 * recorded once however many backends see it. The scheduled scan stays for
 * clusters that are not watched and as a safety net.
 */
import { createHash } from 'node:crypto';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ClusterRoutes } from '@internal/plugin-traffic-path-common';
import type { ModelSnapshot } from '../modelSnapshot';
import { storedEntries } from './summaries';

/** What a summary holds of a cluster's answer, as a short digest. */
export function summaryDigest(routes: ClusterRoutes): string {
  const what =
    'report' in routes
      ? storedEntries(routes.report)
      : { error: routes.error.reason, message: routes.error.message };
  return createHash('sha256').update(JSON.stringify(what)).digest('base64url');
}

export type PassResult = {
  cluster: string;
  version: number;
  entities: number;
  /** Entities whose entry points differed from the last seen here. */
  changed: number;
  written: number;
  changes: number;
  durationMs: number;
};

export function rewriteOnChange(deps: {
  onSnapshot(listener: (snapshot: ModelSnapshot) => void): void;
  /** The entities with Kubernetes annotations (the catalog, with the backend's credentials). */
  entities(): Promise<Entity[]>;
  /** An entity's answer from the snapshot; undefined when it is not in that cluster. */
  routes(
    entity: Entity,
    snapshot: ModelSnapshot,
  ): Promise<ClusterRoutes | undefined>;
  /** Rewrites these entities' summaries of the cluster (ExposureService.recordClusterRoutes). */
  record(
    items: { entity: Entity; routes: ClusterRoutes }[],
    at: Date,
  ): Promise<{ written: number; changes: number }>;
  /** Wait after a batch before the pass: batches meanwhile coalesce into it. */
  delayMs: number;
  /** How long the catalog's list of entities is kept. */
  entitiesTtlMs: number;
  logger: LoggerService;
  /** Entities written per transaction. */
  chunk?: number;
  onPass?(result: PassResult): void;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const chunk = deps.chunk ?? 200;
  /** The newest snapshot per cluster not passed over yet. */
  const pending = new Map<string, ModelSnapshot>();
  /** `cluster\nentityRef` → the digest of its summary as last written or found unchanged. */
  const digests = new Map<string, string>();
  let entities: { at: number; list: Promise<Entity[]> } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  function catalogEntities(): Promise<Entity[]> {
    if (!entities || now() - entities.at > deps.entitiesTtlMs) {
      const list = deps.entities();
      entities = { at: now(), list };
      // A failed list is asked again on the next pass.
      list.catch(() => {
        if (entities?.list === list) entities = undefined;
      });
    }
    return entities.list;
  }

  async function pass(snapshot: ModelSnapshot): Promise<PassResult> {
    const started = now();
    const at = new Date(started);
    const list = await catalogEntities();
    const result: PassResult = {
      cluster: snapshot.cluster,
      version: snapshot.version,
      entities: 0,
      changed: 0,
      written: 0,
      changes: 0,
      durationMs: 0,
    };
    let batch: { entity: Entity; routes: ClusterRoutes; digest: string }[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const items = batch;
      batch = [];
      const { written, changes } = await deps.record(items, at);
      result.written += written;
      result.changes += changes;
      // Only once stored: a write that failed is tried again on the next batch.
      for (const item of items)
        digests.set(
          `${snapshot.cluster}\n${stringifyEntityRef(item.entity)}`,
          item.digest,
        );
    };
    for (let i = 0; i < list.length && !stopped; i++) {
      // Requests are answered between entities: a pass over thousands takes seconds.
      if (i % 20 === 19) await yieldToRequests();
      const entity = list[i];
      let routes: ClusterRoutes | undefined;
      try {
        routes = await deps.routes(entity, snapshot);
      } catch (e) {
        // A bad annotation: the scan logs it; the others go on.
        deps.logger.debug(
          `summaries of ${stringifyEntityRef(entity)}: ${(e as Error).message}`,
        );
        continue;
      }
      if (!routes) continue;
      result.entities++;
      const digest = summaryDigest(routes);
      const key = `${snapshot.cluster}\n${stringifyEntityRef(entity)}`;
      if (digests.get(key) === digest) continue;
      result.changed++;
      batch.push({ entity, routes, digest });
      if (batch.length >= chunk) await flush();
    }
    await flush();
    result.durationMs = now() - started;
    return result;
  }

  async function drain() {
    while (pending.size && !stopped) {
      const [cluster, snapshot] = pending.entries().next().value!;
      pending.delete(cluster);
      try {
        const result = await pass(snapshot);
        if (result.changed)
          deps.logger.info(
            `exposure summaries of cluster ${cluster} (version ${result.version}): ${result.changed} of ${result.entities} entities changed, ${result.written} summaries written, ${result.changes} changes, in ${result.durationMs} ms`,
          );
        deps.onPass?.(result);
      } catch (e) {
        deps.logger.warn(
          `exposure summaries of cluster ${cluster} not rewritten: ${
            (e as Error).message
          }; the next batch or the scan tries again`,
        );
      }
    }
  }

  function schedule() {
    if (timer || running || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = drain().finally(() => {
        running = undefined;
        // Batches that came during the pass.
        if (pending.size) schedule();
      });
    }, deps.delayMs);
    timer.unref?.();
  }

  deps.onSnapshot(snapshot => {
    if (stopped || snapshot.missingRequired) return;
    pending.set(snapshot.cluster, snapshot);
    schedule();
  });

  return {
    /** Resolves when no pass runs or waits (tests, the benchmark). */
    async idle() {
      while (timer || running || pending.size) {
        await (running ?? new Promise(r => setTimeout(r, 10)));
      }
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}
