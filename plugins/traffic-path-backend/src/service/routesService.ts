/*
 * The routes of a catalog entity: locate its clusters, read each one's
 * objects (cached, coalesced, within a timeout), resolve them with the
 * engine, keep the routes that reach the entity's Services, and check DNS
 * when enabled. A failing, slow or forbidden cluster gives an error entry;
 * the others still answer.
 */
import { createHash } from 'node:crypto';
import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  applyDnsAnswers,
  ClusterErrorReason,
  ClusterRoutes,
  DnsAnswer,
  dnsQuestions,
  EntityRoutes,
  loadObjects,
  Report,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import {
  CallOptions,
  fetchEntityPods,
  fetchNamespacePods,
  fetchSnapshot,
  mergeBatches,
  ObjectBatch,
} from './clusterFetcher';
import { DnsLookup } from './dnsResolver';
import {
  ANNOTATION_ID,
  ANNOTATION_LABEL_SELECTOR,
  entitySelection,
  EntitySelection,
  locateClusters,
  ServiceLocatorMethod,
} from './entitySelection';
import { entityScope, objectsForEntity, ServiceRef } from './entityScope';
import {
  ClusterCallError,
  ClusterInfo,
  KubernetesGateway,
} from './kubernetesGateway';

/** Client-side tokens, as the Kubernetes plugin's frontend auth providers give them. */
export type ClientAuth = {
  oidc?: Record<string, string>;
  [provider: string]: unknown;
};

export type RoutesServiceOptions = {
  gateway: KubernetesGateway;
  cache: CacheService;
  logger: LoggerService;
  getEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined>;
  serviceLocatorMethod: ServiceLocatorMethod;
  clusterTimeoutMs: number;
  cacheTtlMs: number;
  secrets: boolean;
  /** Set when the DNS check is enabled. */
  dns?: { lookup: DnsLookup; cacheTtlMs: number };
};

export type RoutesRequest = {
  entityRef: string;
  clientIp?: string;
  auth?: ClientAuth;
  /** Read the clusters again instead of answering from the cache; the answer refreshes the cache. */
  refresh?: boolean;
};

function clientTokenFor(
  cluster: ClusterInfo,
  auth: ClientAuth | undefined,
): string | undefined {
  if (!auth || !cluster.authProvider) return undefined;
  if (cluster.authProvider === 'oidc')
    return cluster.oidcTokenProvider
      ? auth.oidc?.[cluster.oidcTokenProvider]
      : undefined;
  const token = auth[cluster.authProvider];
  return typeof token === 'string' ? token : undefined;
}

class ClusterTimeoutError extends Error {}

function withTimeout<T>(
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ClusterTimeoutError(
          `the cluster did not answer within ${ms / 1000} s`,
        ),
      );
    }, ms);
  });
  return Promise.race([run(controller.signal), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

function errorEntry(cluster: string, e: unknown): ClusterRoutes {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ClusterTimeoutError)
    return { cluster, error: { reason: 'timeout', message } };
  if (e instanceof ClusterCallError) {
    const status = e.status;
    let reason: ClusterErrorReason = 'error';
    if (status === 401) reason = 'unauthorized';
    else if (status === 403) reason = 'forbidden';
    else if (e.badBody) reason = 'bad-response';
    else if (status !== undefined && status >= 500) reason = 'unreachable';
    return {
      cluster,
      error: { reason, message, ...(status ? { status } : {}) },
    };
  }
  return { cluster, error: { reason: 'unreachable', message } };
}

/** Only the routes that reach one of the entity's own Services, and their findings. */
export function entityReport(
  report: Report,
  entityServices: ServiceRef[],
): Report {
  const own = new Set(entityServices.map(s => `${s.namespace}/${s.name}`));
  const routes = report.routes.filter(r => {
    const backend =
      r.backend ??
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

/** A small in-process memo, oldest entries dropped first. */
class Memo<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  constructor(private readonly ttlMs: number, private readonly max: number) {}
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  set(key: string, value: T): T {
    if (this.entries.size >= this.max)
      this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    return value;
  }
}

export function createRoutesService(options: RoutesServiceOptions) {
  const { gateway, cache, logger } = options;
  const inFlight = new Map<string, Promise<unknown>>();
  // Warm requests should not pay for an HTTP round trip to list clusters, nor
  // resolve again objects that have not changed: both are kept briefly here.
  const clusterLists = new Memo<Promise<ClusterInfo[]>>(
    Math.min(options.cacheTtlMs, 10_000),
    1000,
  );
  const resolved = new Memo<Report>(options.cacheTtlMs, 500);

  /**
   * Cached and coalesced: concurrent requests share one call, later ones
   * read the cache (unless `refresh`: a call already running is fresh
   * enough). `fresh` says whether this request produced the value.
   */
  async function shared<T>(
    key: string,
    refresh: boolean,
    produce: () => Promise<T>,
  ): Promise<{ value: T; fresh: boolean }> {
    const ttlMs = options.cacheTtlMs;
    if (ttlMs > 0 && !refresh) {
      const cached = (await cache.get(key)) as T | undefined;
      if (cached !== undefined) return { value: cached, fresh: false };
    }
    const running = inFlight.get(key) as Promise<T> | undefined;
    if (running) return { value: await running, fresh: false };
    const promise = produce()
      .then(async value => {
        if (ttlMs > 0) await cache.set(key, value as never, { ttl: ttlMs });
        return value;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return { value: await promise, fresh: true };
  }

  async function readCluster(
    cluster: ClusterInfo,
    selection: EntitySelection,
    call: CallOptions,
    identity: string,
    refresh: boolean,
  ) {
    const base = `${cluster.name}:${identity}`;
    const [snapshot, pods] = await Promise.all([
      shared(
        `snapshot:${base}:${options.secrets ? 'secrets' : 'nosecrets'}`,
        refresh,
        () => fetchSnapshot(gateway, cluster.name, options.secrets, call),
      ),
      shared(
        `pods:${base}:${selection.namespace ?? '*'}:${selection.selector}`,
        refresh,
        () => fetchEntityPods(gateway, cluster.name, selection, call),
      ),
    ]);
    const scope = entityScope(snapshot.value.objects, selection);
    const batches: { value: ObjectBatch; fresh: boolean }[] = [snapshot, pods];
    if (scope.podNamespacesNeeded.length) {
      const namespaces = scope.podNamespacesNeeded;
      batches.push(
        await shared(
          `namespace-pods:${base}:${namespaces.join(',')}`,
          refresh,
          () => fetchNamespacePods(gateway, cluster.name, namespaces, call),
        ),
      );
    }
    const apiCalls = batches.reduce(
      (n, b) => n + (b.fresh ? b.value.calls : 0),
      0,
    );
    const version = batches.map(b => b.value.fetchedAt).join('/');
    return {
      batch: mergeBatches(...batches.map(b => b.value)),
      scope,
      apiCalls,
      version,
    };
  }

  async function checkDns(report: Report, refresh: boolean): Promise<Report> {
    if (!options.dns) return report;
    const { lookup, cacheTtlMs } = options.dns;
    const answers = new Map<string, DnsAnswer>();
    const missing: string[] = [];
    for (const name of dnsQuestions(report)) {
      // A refresh asks again: the record may just have been fixed.
      const cached =
        cacheTtlMs > 0 && !refresh
          ? ((await cache.get(`dns:${name}`)) as DnsAnswer | undefined)
          : undefined;
      if (cached) answers.set(name, cached);
      else missing.push(name);
    }
    // One lookup call for all missing names, so that its concurrency bound holds.
    if (missing.length > 0) {
      for (const [name, answer] of await lookup(missing)) {
        answers.set(name, answer);
        if (cacheTtlMs > 0)
          await cache.set(`dns:${name}`, answer as never, { ttl: cacheTtlMs });
      }
    }
    return applyDnsAnswers(report, answers);
  }

  async function routesOfCluster(
    entityRef: string,
    cluster: ClusterInfo,
    selection: EntitySelection,
    request: RoutesRequest,
    credentials: BackstageCredentials,
  ): Promise<ClusterRoutes> {
    const clientToken = clientTokenFor(cluster, request.auth);
    // A client-side token is another identity: it gets cache entries of its own.
    const identity = clientToken
      ? createHash('sha256').update(clientToken).digest('hex').slice(0, 16)
      : 'server';
    try {
      const { batch, scope, apiCalls, version } = await withTimeout(
        options.clusterTimeoutMs,
        signal =>
          readCluster(
            cluster,
            selection,
            { credentials, clientToken, signal },
            identity,
            request.refresh === true,
          ),
      );
      // Same objects, same question: same answer.
      const key = `${cluster.name}|${identity}|${version}|${entityRef}|${
        selection.namespace ?? ''
      }|${selection.selector}|${request.clientIp ?? ''}`;
      let report = options.cacheTtlMs > 0 ? resolved.get(key) : undefined;
      if (!report) {
        const load = loadObjects(
          objectsForEntity(batch.objects, scope),
          `cluster ${cluster.name}`,
        );
        batch.listedKinds.forEach(k => load.listedKinds.add(k));
        report = entityReport(
          resolveReport(load, { clientIp: request.clientIp }),
          scope.entityServices,
        );
        if (options.cacheTtlMs > 0) resolved.set(key, report);
      }
      return {
        cluster: cluster.name,
        report: await checkDns(report, request.refresh === true),
        warnings: batch.warnings,
        apiCalls,
      };
    } catch (e) {
      logger.warn(
        `cluster ${cluster.name} for ${entityRef}: ${
          e instanceof Error ? e.message : String(e)
        }`,
      );
      return errorEntry(cluster.name, e);
    }
  }

  /** The cluster list may depend on who asks (catalog-based locators): kept per principal. */
  function listClusters(
    credentials: BackstageCredentials,
  ): Promise<ClusterInfo[]> {
    if (options.cacheTtlMs <= 0) return gateway.clusters(credentials);
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
      subject?: string;
    };
    const key = `${principal.type}:${
      principal.userEntityRef ?? principal.subject ?? ''
    }`;
    const known = clusterLists.get(key);
    if (known) return known;
    const promise = gateway.clusters(credentials);
    // A failure is not remembered: the next request asks again.
    promise.catch(() => clusterLists.delete(key));
    return clusterLists.set(key, promise);
  }

  return {
    async getEntityRoutes(
      request: RoutesRequest,
      credentials: BackstageCredentials,
    ): Promise<EntityRoutes> {
      // The catalog and the cluster list are independent: ask both at once.
      const clustersPromise = listClusters(credentials);
      clustersPromise.catch(() => {}); // awaited below, unless the entity is unknown
      const entity = await options.getEntity(request.entityRef, credentials);
      if (!entity)
        throw new NotFoundError(
          `No entity ${request.entityRef} in the catalog`,
        );
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
      const clusters = locateClusters(
        entity,
        await clustersPromise,
        options.serviceLocatorMethod,
      );
      const results = await Promise.all(
        clusters.map(c =>
          routesOfCluster(entityRef, c, selection, request, credentials),
        ),
      );
      return { entityRef, configured: true, clusters: results };
    },
  };
}

export type RoutesService = ReturnType<typeof createRoutesService>;
