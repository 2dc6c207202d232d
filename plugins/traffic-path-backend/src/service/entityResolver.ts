/*
 * Resolve: a cluster's objects to the routes of one entity. Only the
 * objects that can matter for the entity go to the engine, and only the
 * routes that end at one of its Services come back. The same objects and
 * the same question give the same answer: reports are kept in process,
 * keyed by the versions of the batches they came from.
 */
import {
  loadObjects,
  Report,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { LRUCache } from 'lru-cache';
import { ObjectBatch } from './clusterFetcher';
import { EntitySelection } from './entitySelection';
import { EntityScope, objectsForEntity, ServiceRef } from './entityScope';

/** Only the routes that reach (or try to reach) one of the entity's own Services, and their findings. */
export function entityReport(
  report: Report,
  entityServices: ServiceRef[],
): Report {
  const own = new Set(entityServices.map(s => `${s.namespace}/${s.name}`));
  const routes = report.routes.filter(r => {
    // The Service a route ends at; for a route broken before it (a backendRef
    // not permitted), the Service it tries to reach.
    const backend =
      r.backend ??
      r.hops.find(h => h.kind === 'service' && h.object?.kind === 'Service')
        ?.object ??
      (r.entry.object.kind === 'Service' ? r.entry.object : undefined);
    return (
      backend !== undefined && own.has(`${backend.namespace}/${backend.name}`)
    );
  });
  const ids = new Set(routes.map(r => r.id));
  const findings = report.findings.filter(f =>
    f.routeIds
      ? f.routeIds.some(id => ids.has(id))
      : f.object.kind === 'Service' &&
        own.has(`${f.object.namespace}/${f.object.name}`),
  );
  return { ...report, routes, findings };
}

export type ResolveQuestion = {
  cluster: string;
  /** Whose objects (`clusterIdentity`). */
  identity: string;
  /** The versions of the batches the objects came from. */
  version: string;
  entityRef: string;
  selection: EntitySelection;
  clientIp?: string;
};

export type EntityResolver = {
  resolve(
    question: ResolveQuestion,
    batch: ObjectBatch,
    scope: EntityScope,
  ): Report;
  /**
   * The same, with the objects made only when the report is not known yet:
   * a live model's answer for a version already resolved is a lookup.
   */
  resolveLazily(
    question: ResolveQuestion,
    objects: () => { batch: ObjectBatch; scope: EntityScope },
  ): Report;
};

export function createEntityResolver(deps: {
  /** How long a report is kept; 0 resolves every time. */
  ttlMs: number;
}): EntityResolver {
  const reports =
    deps.ttlMs > 0
      ? new LRUCache<string, Report>({ max: 500, ttl: deps.ttlMs })
      : undefined;
  const keyOf = (q: ResolveQuestion) =>
    [
      q.cluster,
      q.identity,
      q.version,
      q.entityRef,
      q.selection.namespace ?? '',
      q.selection.selector,
      q.clientIp ?? '',
    ].join('|');
  const resolver: EntityResolver = {
    resolveLazily(q, objects) {
      const known = reports?.get(keyOf(q));
      if (known) return known;
      const { batch, scope } = objects();
      return resolver.resolve(q, batch, scope);
    },
    resolve(q, batch, scope) {
      const key = keyOf(q);
      const known = reports?.get(key);
      if (known) return known;
      const load = loadObjects(
        objectsForEntity(batch.objects, scope),
        `cluster ${q.cluster}`,
      );
      batch.listedKinds.forEach(k => load.listedKinds.add(k));
      const report = entityReport(
        resolveReport(load, { clientIp: q.clientIp }),
        scope.entityServices,
      );
      reports?.set(key, report);
      return report;
    },
  };
  return resolver;
}
