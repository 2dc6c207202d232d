/*
 * The live model: one watched cluster per cluster of the Kubernetes backend
 * that this backend can watch with the cluster's own (server-side)
 * credentials, through the Traffic Path module's lists and watch routes.
 * Each keeps its objects current and makes a new snapshot per batch of
 * changes. A cluster it cannot watch (client-side auth such as oidc, no
 * module, watching off, over the object cap, not listed yet) is served
 * per request, and the reason is said. Each backend instance keeps its
 * own models, as informers do.
 */
import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import {
  ClusterWatch,
  ReadError,
  readList,
  readFailure,
  ReadOutcome,
  startClusterWatch,
} from '@internal/plugin-traffic-path-node';
import {
  ClusterInfo,
  KubernetesBackendClient,
} from './kubernetesBackendClient';
import { modelReads, modelSnapshot, ModelSnapshot } from './modelSnapshot';
import { ModuleDetector } from './moduleDetector';
import { WatchSettings } from './watchSettings';

/** The `continue` token of a page's path, as `readList` builds it. */
const continueOf = (path: string) =>
  new URLSearchParams(path.split('?')[1] ?? '').get('continue') ?? undefined;

/**
 * Auth providers of the Kubernetes backend whose credential comes from the
 * user's browser: the backend has nothing to watch with.
 */
export const CLIENT_SIDE_AUTH = new Set(['oidc', 'google', 'aks']);

export type ServedBy =
  | {
      mode: 'watch';
      snapshot: ModelSnapshot;
      /** When the oldest watched read last matched the cluster (an event or a bookmark). */
      observedAt: number;
    }
  | { mode: 'request'; reason: string };

export type LiveModels = {
  /** Watches every cluster it can, as the backend's own service sees them. */
  start(): Promise<void>;
  /** How to serve a cluster now; starts watching a watchable cluster not seen yet. */
  serve(cluster: ClusterInfo): Promise<ServedBy>;
  /**
   * Lists a watched cluster again now (the card's Refresh); resolves once the
   * new version is made. With `signal`, the caller stops waiting when it
   * aborts (with its reason); the list goes on for the model.
   */
  relist(cluster: string, signal?: AbortSignal): Promise<void>;
  /** Called with every new snapshot of a watched cluster. */
  onSnapshot(listener: (snapshot: ModelSnapshot) => void): void;
  /** The clusters' watches, for status and tests. */
  watches(): ClusterWatch[];
  stop(): void;
};

/**
 * The promise, or the signal's reason if it aborts first. The listener is
 * removed once either settles, so a long-lived signal does not gather one per
 * call.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createLiveModels(deps: {
  client: KubernetesBackendClient;
  module: ModuleDetector;
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  settings: WatchSettings;
  secrets: boolean;
}): LiveModels {
  const { client, auth, settings, logger } = deps;
  const watches = new Map<string, ClusterWatch>();
  const snapshots = new Map<string, ModelSnapshot>();
  const listeners: ((s: ModelSnapshot) => void)[] = [];
  const reads = modelReads({ secrets: deps.secrets });
  let stopped = false;

  const serviceCredentials = (): Promise<BackstageCredentials> =>
    auth.getOwnServiceCredentials();

  /** A whole list in one request to the module, for a client that cannot page through it. */
  async function listWhole(
    name: string,
    read: ClusterRead,
    signal: AbortSignal,
  ): Promise<ReadOutcome<KubeObject>> {
    try {
      const [outcome] = await client.readMany(name, [read], {
        credentials: await serviceCredentials(),
        signal,
        trim: true,
        pageSize: settings.listPageSize,
      });
      return outcome;
    } catch (e) {
      // The Kubernetes backend refused the whole request (the cluster, the module).
      const status = (e as { status?: number }).status;
      return {
        error: new ReadError(
          read.path,
          status ? 'status' : 'unreachable',
          (e as Error).message,
          status,
        ),
      };
    }
  }

  function watchCluster(name: string): ClusterWatch {
    const known = watches.get(name);
    if (known) return known;
    const watch = startClusterWatch({
      cluster: name,
      reads,
      // Paged here, a page a request through the module (trimmed there): neither side holds a
      // long list whole. readList starts again after a 410 of an expired continue token.
      list: async (read, signal) => {
        const modulePage = client.modulePage;
        if (!modulePage) return listWhole(name, read, signal);
        return readList(
          read,
          async (path, pageRead, { signal: pageSignal }) =>
            modulePage(name, pageRead, continueOf(path), {
              credentials: await serviceCredentials(),
              signal: pageSignal,
              trim: true,
              pageSize: settings.listPageSize,
            }),
          {
            pageSize: settings.listPageSize,
            // Each page is bounded by the client; the model by maxObjectsPerCluster.
            maxBytes: Number.MAX_SAFE_INTEGER,
            signal,
          },
        );
      },
      watch: async function* watchThroughModule(read, options) {
        // whyNot() serves the cluster per request when the client cannot watch.
        yield* client.moduleWatch!(
          name,
          read,
          options,
          await serviceCredentials(),
        );
      },
      // The module trims the lists it reads for the model (trim: true above).
      listsTrimmed: true,
      debounceMs: settings.debounceMs,
      maxObjects: settings.maxObjectsPerCluster,
      backoff: settings.backoff,
      watchTimeoutSeconds: settings.watchTimeoutSeconds,
      idleMs: settings.idleMs,
      absentRecheckMs: settings.absentRecheckMs,
      onBatch(version) {
        const snapshot = modelSnapshot(name, version, snapshots.get(name));
        snapshots.set(name, snapshot);
        if (watch.state() === 'ready')
          listeners.forEach(l => {
            try {
              l(snapshot);
            } catch (e) {
              logger.warn(`live model of ${name}: ${(e as Error).message}`);
            }
          });
      },
    });
    watches.set(name, watch);
    watch.ready().then(() => {
      if (watch.state() === 'ready')
        logger.info(
          `live model of cluster ${name} ready: ${watch.size()} objects`,
        );
      else if (watch.state() === 'over-cap')
        logger.warn(
          `cluster ${name} has more than ${settings.maxObjectsPerCluster} objects (trafficPath.watch.maxObjectsPerCluster): it is read per request`,
        );
    });
    return watch;
  }

  async function whyNot(cluster: ClusterInfo): Promise<string | undefined> {
    if (!settings.enabled) return 'trafficPath.watch.enabled is false';
    if (stopped) return 'the backend is stopping';
    if (cluster.authProvider && CLIENT_SIDE_AUTH.has(cluster.authProvider))
      return `the cluster's auth provider (${cluster.authProvider}) is client-side: it is read with the user's token`;
    const lists = await deps.module.lists();
    if (!lists?.watch || !client.moduleWatch)
      return 'the Kubernetes backend has no Traffic Path module that watches (@internal/plugin-kubernetes-backend-module-traffic-path)';
    return undefined;
  }

  return {
    async start() {
      if (!settings.enabled) return;
      try {
        const clusters = await client.clusters(await serviceCredentials());
        for (const c of clusters) if (!(await whyNot(c))) watchCluster(c.name);
      } catch (e) {
        // Clusters are watched when first asked for, then.
        logger.warn(
          `live model: the Kubernetes backend's clusters could not be listed at start: ${
            (e as Error).message
          }`,
        );
      }
    },

    async serve(cluster) {
      const reason = await whyNot(cluster);
      if (reason) return { mode: 'request', reason };
      const watch = watchCluster(cluster.name);
      const state = watch.state();
      if (state === 'over-cap')
        return {
          mode: 'request',
          reason: `the cluster has more than ${settings.maxObjectsPerCluster} objects (trafficPath.watch.maxObjectsPerCluster)`,
        };
      const snapshot = snapshots.get(cluster.name);
      if (state !== 'ready' || !snapshot) {
        const failed = watch
          .statuses()
          .find(
            s =>
              s.status.error && readFailure(s.read, s.status.error) === 'fatal',
          );
        return {
          mode: 'request',
          reason: failed
            ? `the live model could not list the cluster yet: ${
                failed.status.error!.message
              }`
            : 'the live model is still listing the cluster',
        };
      }
      if (snapshot.missingRequired)
        return {
          mode: 'request',
          reason: `the live model lost ${snapshot.missingRequired}: ${
            snapshot.warnings[0] ?? 'not listed'
          }`,
        };
      // Bookmarks and events say the data is current even when nothing changed.
      const times = watch
        .statuses()
        .filter(r => r.status.synced && !r.status.absent)
        .map(r => r.status.observedAt ?? snapshot.observedAt);
      return {
        mode: 'watch',
        snapshot,
        observedAt: Math.max(snapshot.observedAt, Math.min(...times)),
      };
    },

    async relist(cluster, signal) {
      const watch = watches.get(cluster);
      if (watch) await untilAborted(watch.relist(), signal);
    },

    onSnapshot(listener) {
      listeners.push(listener);
    },

    watches: () => [...watches.values()],

    stop() {
      stopped = true;
      watches.forEach(w => w.stop());
      watches.clear();
      snapshots.clear();
    },
  };
}
