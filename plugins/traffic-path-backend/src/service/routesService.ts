/*
 * The routes of a catalog entity: locate its clusters, fetch each one's
 * objects (cached, coalesced, with a timeout), resolve them with the
 * engine, keep the routes that reach the entity's Services. A failing,
 * slow or forbidden cluster gives an error entry; the others still answer.
 */
import { createHash } from 'node:crypto';
import { BackstageCredentials, CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { loadObjects, Report, resolveReport } from '@internal/plugin-traffic-path-common';
import { ClusterObjects, fetchClusterObjects } from './clusterFetcher';
import { ANNOTATION_ID, ANNOTATION_LABEL_SELECTOR, entitySelection, EntitySelection } from './entitySelection';
import { ClusterInfo, KubernetesGateway } from './kubernetesGateway';

/** Client-side tokens, as the Kubernetes plugin's frontend auth providers give them. */
export type ClientAuth = { google?: string; oidc?: Record<string, string>; [provider: string]: unknown };

export type ClusterRoutes =
  | { cluster: string; report: Report; warnings: string[] }
  | { cluster: string; error: { message: string; status?: number } };

export type EntityRoutes = {
  entityRef: string;
  /** False when the entity has no Kubernetes annotation; `hint` says which to add. */
  configured: boolean;
  hint?: string;
  clusters: ClusterRoutes[];
};

export type RoutesServiceOptions = {
  gateway: KubernetesGateway;
  cache: CacheService;
  logger: LoggerService;
  getEntity(entityRef: string, credentials: BackstageCredentials): Promise<Entity | undefined>;
  clusterTimeoutMs: number;
  cacheTtlMs: number;
  secrets: boolean;
};

function clientTokenFor(cluster: ClusterInfo, auth: ClientAuth | undefined): string | undefined {
  if (!auth || !cluster.authProvider) return undefined;
  if (cluster.authProvider === 'oidc') return cluster.oidcTokenProvider ? auth.oidc?.[cluster.oidcTokenProvider] : undefined;
  const token = auth[cluster.authProvider];
  return typeof token === 'string' ? token : undefined;
}

function withTimeout<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`the cluster did not answer within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([run(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/** Only the routes that reach one of the entity's own Services. */
function entityReport(report: Report, entityServices: ClusterObjects['entityServices']): Report {
  const own = new Set(entityServices.map(s => `${s.namespace}/${s.name}`));
  const routes = report.routes.filter(r => {
    const backend = r.backend ?? (r.entry.object.kind === 'Service' ? r.entry.object : undefined);
    return backend !== undefined && own.has(`${backend.namespace}/${backend.name}`);
  });
  const ids = new Set(routes.map(r => r.id));
  const findings = report.findings.filter(f => (f.routeIds ? f.routeIds.some(id => ids.has(id)) : own.has(`${f.object.namespace}/${f.object.name}`)));
  return { ...report, routes, findings };
}

export function createRoutesService(options: RoutesServiceOptions) {
  const { gateway, cache, logger } = options;
  const inFlight = new Map<string, Promise<ClusterObjects>>();

  /** Cached and coalesced: concurrent requests for one entity share one set of cluster calls. */
  async function clusterObjects(key: string, fetch: () => Promise<ClusterObjects>): Promise<ClusterObjects> {
    if (options.cacheTtlMs > 0) {
      const cached = (await cache.get(key)) as ClusterObjects | undefined;
      if (cached) return cached;
    }
    const running = inFlight.get(key);
    if (running) return running;
    const promise = fetch()
      .then(async result => {
        if (options.cacheTtlMs > 0) await cache.set(key, result as never, { ttl: options.cacheTtlMs });
        return result;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  }

  async function routesOfCluster(entityRef: string, cluster: ClusterInfo, selection: EntitySelection, clientIp: string | undefined, auth: ClientAuth | undefined, credentials: BackstageCredentials): Promise<ClusterRoutes> {
    const clientToken = clientTokenFor(cluster, auth);
    // A client-side token is a different identity: it gets its own cache entry.
    const identity = clientToken ? createHash('sha256').update(clientToken).digest('hex').slice(0, 16) : 'server';
    const key = `objects:${cluster.name}:${entityRef}:${selection.selector}:${selection.namespace ?? ''}:${identity}`;
    try {
      const fetched = await clusterObjects(key, () =>
        withTimeout(options.clusterTimeoutMs, signal => fetchClusterObjects(gateway, cluster.name, selection, { credentials, clientToken, signal, secrets: options.secrets })),
      );
      const load = loadObjects(fetched.objects, `cluster ${cluster.name}`);
      fetched.listedKinds.forEach(k => load.listedKinds.add(k));
      const report = resolveReport(load, { clientIp });
      return { cluster: cluster.name, report: entityReport(report, fetched.entityServices), warnings: fetched.warnings };
    } catch (e) {
      const err = e as { message?: string; status?: number };
      logger.warn(`traffic-path: cluster ${cluster.name} for ${entityRef}: ${err.message ?? String(e)}`);
      return { cluster: cluster.name, error: { message: err.message ?? String(e), ...(err.status ? { status: err.status } : {}) } };
    }
  }

  return {
    async getEntityRoutes(request: { entityRef: string; clientIp?: string; auth?: ClientAuth }, credentials: BackstageCredentials): Promise<EntityRoutes> {
      const entity = await options.getEntity(request.entityRef, credentials);
      if (!entity) throw new NotFoundError(`No entity ${request.entityRef} in the catalog`);
      const entityRef = stringifyEntityRef(entity);
      const selection = entitySelection(entity);
      if (!selection) {
        return {
          entityRef,
          configured: false,
          hint: `Add the annotation ${ANNOTATION_ID} (objects labelled ${ANNOTATION_ID}=<id>) or ${ANNOTATION_LABEL_SELECTOR} to ${entityRef}, as for the Kubernetes plugin.`,
          clusters: [],
        };
      }
      const clusters = (await gateway.clusters(credentials)).filter(c => !selection.cluster || c.name === selection.cluster);
      const results = await Promise.all(clusters.map(c => routesOfCluster(entityRef, c, selection, request.clientIp, request.auth, credentials)));
      return { entityRef, configured: true, clusters: results };
    },
  };
}

export type RoutesService = ReturnType<typeof createRoutesService>;
