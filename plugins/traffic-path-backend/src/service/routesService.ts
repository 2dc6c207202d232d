/*
 * The routes of a catalog entity, from named pieces: locate its clusters
 * (clusterLocator), take each one's objects from its live model
 * (liveModels, modelSnapshot) or, for a cluster that is not watched, fetch
 * them (clusterFetcher) through the cache (sharedReads) within the cluster
 * timeout, resolve them to the entity's routes (entityResolver), and check
 * DNS when enabled (dnsCheck).
 * A failing, slow or forbidden cluster gives an error entry; the others
 * still answer.
 */
import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterRoutes,
  EntityRoutes,
} from '@internal/plugin-traffic-path-common';
import { clusterErrorEntry, clusterTimeoutEntry } from './clusterErrors';
import { createClusterFetcher, mergeBatches } from './clusterFetcher';
import {
  ClientAuth,
  clientTokenFor,
  createClusterLocator,
} from './clusterLocator';
import { createDnsCheck } from './dnsCheck';
import { DnsLookup } from './dnsResolver';
import { createEntityResolver } from './entityResolver';
import { entityScope } from './entityScope';
import {
  ANNOTATION_ID,
  ANNOTATION_LABEL_SELECTOR,
  entitySelection,
  EntitySelection,
  locateClusters,
  ServiceLocatorMethod,
} from './entitySelection';
import { clusterIdentity } from './identity';
import {
  ClusterInfo,
  KubernetesBackendClient,
  ReadOptions,
} from './kubernetesBackendClient';
import { createEntityChangeSignals, PublishSignal } from './entitySignals';
import { LiveModels } from './liveModels';
import { createModelAnswers, ModelAnswers } from './modelAnswers';
import { ModelSnapshot } from './modelSnapshot';
import { createSharedReads, Shared } from './sharedReads';
import { ObjectBatch } from './clusterFetcher';

export type { ClientAuth };

export type RoutesServiceOptions = {
  client: KubernetesBackendClient;
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
  /** The live models of watched clusters; without it every cluster is read per request. */
  models?: LiveModels;
  /** The live models' answers, shared by the routes services of one backend (else its own). */
  modelAnswers?: ModelAnswers;
  /** Publishes a signal when the routes of an entity asked for lately change in a watched cluster. */
  changeSignals?: { publish: PublishSignal; windowMs: number };
};

export type RoutesRequest = {
  entityRef: string;
  clientIp?: string;
  auth?: ClientAuth;
  /** Read the clusters again instead of answering from the cache; the answer refreshes the cache. */
  refresh?: boolean;
};

export function createRoutesService(options: RoutesServiceOptions) {
  const { client, cache, logger } = options;
  const locator = createClusterLocator({
    client,
    serviceLocatorMethod: options.serviceLocatorMethod,
    ttlMs: Math.min(options.cacheTtlMs, 10_000),
  });
  const fetcher = createClusterFetcher({ client, secrets: options.secrets });
  const reads = createSharedReads({ cache, ttlMs: options.cacheTtlMs });
  const resolver = createEntityResolver({ ttlMs: options.cacheTtlMs });
  // A model's reports are resolved again only when the entity's objects change: kept for
  // every entity of the review (5,000 and more) and the cards' client IPs.
  const modelAnswers =
    options.modelAnswers ?? createModelAnswers({ max: 20_000 });
  const dns = options.dns
    ? createDnsCheck({
        lookup: options.dns.lookup,
        cache,
        ttlMs: options.dns.cacheTtlMs,
      })
    : undefined;

  /** The cluster's objects for the entity: the shared snapshot, its pods, and round 2 when needed. */
  async function readCluster(
    cluster: string,
    selection: EntitySelection,
    call: ReadOptions,
    identity: string,
    refresh: boolean,
  ) {
    const base = `${cluster}:${identity}`;
    const [snapshot, pods] = await Promise.all([
      reads.get(
        `snapshot:${base}:${options.secrets ? 'secrets' : 'nosecrets'}`,
        refresh,
        () => fetcher.snapshot(cluster, call),
      ),
      reads.get(
        `pods:${base}:${selection.namespace ?? '*'}:${selection.selector}`,
        refresh,
        () => fetcher.entityPods(cluster, selection, call),
      ),
    ]);
    const scope = entityScope(snapshot.value.objects, selection);
    const batches: Shared<ObjectBatch>[] = [snapshot, pods];
    const namespaces = scope.podNamespacesNeeded;
    if (namespaces.length) {
      batches.push(
        await reads.get(
          `namespace-pods:${base}:${namespaces.join(',')}`,
          refresh,
          () => fetcher.namespacePods(cluster, namespaces, call),
        ),
      );
    }
    return {
      batch: mergeBatches(...batches.map(b => b.value)),
      scope,
      apiCalls: batches.reduce((n, b) => n + (b.fresh ? b.value.calls : 0), 0),
      version: batches.map(b => b.value.fetchedAt).join('/'),
    };
  }

  /** The entity's routes from a cluster's live model: a lookup unless its objects changed. */
  function fromModel(
    snapshot: ModelSnapshot,
    entityRef: string,
    selection: EntitySelection,
    clientIp: string | undefined,
  ) {
    return modelAnswers.report(snapshot, entityRef, selection, clientIp);
  }

  const changes =
    options.models && options.changeSignals
      ? createEntityChangeSignals({
          models: options.models,
          publish: options.changeSignals.publish,
          windowMs: options.changeSignals.windowMs,
          resolve: (snapshot, entityRef, selection) =>
            fromModel(snapshot, entityRef, selection, undefined),
          logger,
        })
      : undefined;

  /** A watched cluster's answer, after listing it again when Refresh asks. */
  async function watchedCluster(
    entityRef: string,
    cluster: ClusterInfo,
    selection: EntitySelection,
    request: RoutesRequest,
    snapshot: ModelSnapshot,
    observedAt: number,
    signal: AbortSignal,
  ): Promise<ClusterRoutes> {
    let current = snapshot;
    let observed = observedAt;
    if (request.refresh === true && options.models) {
      // Waited on within the cluster's timeout; the list itself goes on for the model.
      await options.models.relist(cluster.name, signal);
      const served = await options.models.serve(cluster);
      if (served.mode === 'watch') {
        current = served.snapshot;
        observed = served.observedAt;
      }
    }
    const report = fromModel(current, entityRef, selection, request.clientIp);
    changes?.asked(entityRef, selection, current);
    return {
      cluster: cluster.name,
      report: dns ? await dns.check(report, request.refresh === true) : report,
      warnings: current.warnings,
      apiCalls: 0,
      mode: 'watch',
      observedAt: new Date(observed).toISOString(),
    };
  }

  async function routesOfCluster(
    entityRef: string,
    cluster: ClusterInfo,
    selection: EntitySelection,
    request: RoutesRequest,
    credentials: BackstageCredentials,
  ): Promise<ClusterRoutes> {
    const clientToken = clientTokenFor(cluster, request.auth);
    const identity = clusterIdentity(clientToken);
    const refresh = request.refresh === true;
    const signal = AbortSignal.timeout(options.clusterTimeoutMs);
    try {
      // A client-side token means the user's own reads: never the shared model.
      let served = options.models
        ? await options.models.serve(cluster)
        : undefined;
      if (clientToken && served?.mode === 'watch')
        served = {
          mode: 'request',
          reason: "the user's own token was sent for this cluster",
        };
      if (served?.mode === 'watch')
        return await watchedCluster(
          entityRef,
          cluster,
          selection,
          request,
          served.snapshot,
          served.observedAt,
          signal,
        );
      const { batch, scope, apiCalls, version } = await readCluster(
        cluster.name,
        selection,
        { credentials, clientToken, signal },
        identity,
        refresh,
      );
      const report = resolver.resolve(
        {
          cluster: cluster.name,
          identity,
          version,
          entityRef,
          selection,
          clientIp: request.clientIp,
        },
        batch,
        scope,
      );
      return {
        cluster: cluster.name,
        report: dns ? await dns.check(report, refresh) : report,
        warnings: batch.warnings,
        apiCalls,
        mode: 'request',
        observedAt: new Date(batch.fetchedAt).toISOString(),
        ...(served ? { modeReason: served.reason } : {}),
      };
    } catch (e) {
      const entry = signal.aborted
        ? clusterTimeoutEntry(cluster.name, options.clusterTimeoutMs)
        : clusterErrorEntry(cluster.name, e);
      logger.warn(
        `cluster ${cluster.name} for ${entityRef}: ${
          'error' in entry ? entry.error.message : ''
        }`,
      );
      return entry;
    }
  }

  return {
    /** The entity's routes from the live model only (no reads), for the signals of changes. */
    modelRoutes: fromModel,
    /**
     * An entity's answer for one watched cluster from its snapshot, as a
     * request would give it (DNS checked when enabled), without reads; undefined
     * when the entity has no Kubernetes annotation or is not in that cluster.
     * For the review's summaries of entities whose routes changed.
     */
    async snapshotRoutes(
      entity: Entity,
      snapshot: ModelSnapshot,
    ): Promise<ClusterRoutes | undefined> {
      const selection = entitySelection(entity);
      if (!selection) return undefined;
      if (
        !locateClusters(
          entity,
          [{ name: snapshot.cluster }],
          options.serviceLocatorMethod,
        ).length
      )
        return undefined;
      const report = fromModel(
        snapshot,
        stringifyEntityRef(entity),
        selection,
        undefined,
      );
      return {
        cluster: snapshot.cluster,
        report: dns ? await dns.check(report, false) : report,
        warnings: snapshot.warnings,
        apiCalls: 0,
        mode: 'watch',
        observedAt: new Date(snapshot.observedAt).toISOString(),
      };
    },
    async getEntityRoutes(
      request: RoutesRequest,
      credentials: BackstageCredentials,
    ): Promise<EntityRoutes> {
      // The catalog and the cluster list are independent: ask both at once.
      const clustersPromise = locator.clusters(credentials);
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
      const clusters = locator.clustersOf(entity, await clustersPromise);
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
