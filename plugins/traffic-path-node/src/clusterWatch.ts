/*
 * A watched cluster: one informer per read, and their changes gathered into
 * batches (debounced), each batch a new version of the cluster's objects
 * for whoever resolves them. Memory is bounded: beyond `maxObjects` the
 * informers stop, the objects are dropped, and the cluster says so; its
 * answers are then read per request again.
 */
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import {
  Backoff,
  Informer,
  InformerStatus,
  ListOnce,
  startInformer,
} from './informer';
import { trimForModel } from './intake';
import { ReadError } from './readError';
import { readFailure } from './readPolicy';
import { OpenWatch } from './watchStream';

export type ClusterWatchOptions = {
  cluster: string;
  reads: ClusterRead[];
  list: ListOnce;
  watch: OpenWatch;
  /** Changes closer together than this make one batch. */
  debounceMs: number;
  /** Objects kept at most; beyond it the cluster is not watched. */
  maxObjects: number;
  backoff: Backoff;
  watchTimeoutSeconds: number;
  idleMs: number;
  /** How often a kind the cluster lacks (a CRD's 404) is asked again. */
  absentRecheckMs: number;
  /** `list` gives objects trimmed already (`trimForModel`). */
  listsTrimmed?: boolean;
  /** Called once per batch, after its version is made. */
  onBatch?(version: ClusterVersion): void;
  random?: () => number;
};

/** One version of a watched cluster's objects, made once per batch of changes. */
export type ClusterVersion = {
  /** Counts the batches: a new number is new objects. */
  version: number;
  /** When the oldest read last matched the API server. */
  observedAt: number;
  /** The objects of the reads that are synced. */
  objectsByRead: { read: ClusterRead; objects: KubeObject[] }[];
  /** Kinds listed in full, of synced reads. */
  listedKinds: string[];
  /** Reads that failed or are not listed yet (not absent CRDs). */
  failures: { read: ClusterRead; error?: ReadError }[];
};

export type ClusterWatchState =
  /** Not every required read listed yet: answer the request-scoped way. */
  | 'starting'
  | 'ready'
  /** Over `maxObjects`: the informers are stopped. */
  | 'over-cap'
  | 'stopped';

export type ClusterWatch = {
  readonly cluster: string;
  state(): ClusterWatchState;
  /** The latest version; undefined before the first batch. */
  current(): ClusterVersion | undefined;
  /** Objects kept now. */
  size(): number;
  statuses(): { read: ClusterRead; status: InformerStatus }[];
  /** Lists every read again; resolves once each list is done and its batch is made. */
  relist(): Promise<void>;
  /** Resolves when ready (or stopped, or over the cap). */
  ready(): Promise<void>;
  stop(): void;
};

export function startClusterWatch(options: ClusterWatchOptions): ClusterWatch {
  let state: ClusterWatchState = 'starting';
  let version: ClusterVersion | undefined;
  let counter = 0;
  let timer: NodeJS.Timeout | undefined;
  let readyWaiters: (() => void)[] = [];
  let batchWaiters: (() => void)[] = [];
  // When the required reads first all listed: from then the others get a grace to list too.
  let requiredListedAt: number | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  // Twice the longest backoff: each failing optional read has been asked again at least once.
  const graceMs = 2 * options.backoff.maxMs;

  const informers: Informer[] = options.reads.map(read =>
    startInformer({
      read,
      list: options.list,
      watch: options.watch,
      trim: trimForModel,
      listsTrimmed: options.listsTrimmed,
      onChange: changed,
      backoff: options.backoff,
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      idleMs: options.idleMs,
      absentRecheckMs: options.absentRecheckMs,
      random: options.random,
    }),
  );

  const size = () => informers.reduce((n, i) => n + i.size(), 0);

  function settle() {
    const waiting = readyWaiters;
    readyWaiters = [];
    waiting.forEach(w => w());
  }

  function changed() {
    if (state === 'over-cap' || state === 'stopped') return;
    if (size() > options.maxObjects) {
      state = 'over-cap';
      clearTimeout(timer);
      clearTimeout(graceTimer);
      informers.forEach(i => i.stop());
      version = undefined;
      settle();
      return;
    }
    // The last list of the start is not waited on: the model is ready as soon as it can be.
    // (Before, nothing is made; after, changes close together make one batch.)
    if (
      state === 'starting' &&
      informers.every(i => {
        const s = i.status();
        return s.synced || s.absent || s.refused;
      })
    ) {
      clearTimeout(timer);
      timer = setTimeout(makeBatch, 0);
      return;
    }
    if (!timer) timer = setTimeout(makeBatch, options.debounceMs);
  }

  /**
   * Ready once the required reads are listed and every other read is listed,
   * known absent or refused, or has had the grace to list since: a read that
   * failed only for a moment (a 503 while the API server starts) is waited for,
   * so the first answers do not lack its objects; one that keeps failing does not
   * keep the cluster from its model.
   */
  function isReady(
    statuses: { informer: Informer; status: InformerStatus }[],
  ): boolean {
    // No read whose failure is fatal (a required one) may be unlisted.
    const fatal = statuses.some(
      s =>
        !s.status.synced &&
        readFailure(s.informer.read, s.status.error) === 'fatal',
    );
    if (fatal) return false;
    if (requiredListedAt === undefined) {
      requiredListedAt = Date.now();
      graceTimer = setTimeout(changed, graceMs);
    }
    const graceOver = Date.now() - requiredListedAt >= graceMs;
    return statuses.every(
      s =>
        s.status.synced ||
        s.status.absent ||
        s.status.refused ||
        (graceOver && s.status.error),
    );
  }

  function makeBatch() {
    timer = undefined;
    if (state === 'over-cap' || state === 'stopped') return;
    const statuses = informers.map(i => ({ informer: i, status: i.status() }));
    const synced = statuses.filter(s => s.status.synced);
    if (state === 'starting' && isReady(statuses)) state = 'ready';
    if (state === 'starting') {
      // Nobody is answered from a version before the model is ready, and making one (with its
      // snapshot) per debounce while 50k pods are listed page by page delays the lists.
      settleBatch();
      return;
    }
    counter += 1;
    version = {
      version: counter,
      observedAt: Math.min(
        ...synced.map(s => s.status.observedAt ?? Date.now()),
        Date.now(),
      ),
      objectsByRead: synced
        .filter(s => !s.status.absent)
        .map(s => ({
          read: s.informer.read,
          objects: [...s.informer.objects()],
        })),
      listedKinds: synced
        .filter(s => s.informer.read.listed)
        .map(s => s.informer.read.listed!),
      failures: statuses
        .filter(s => !s.status.synced)
        .map(s => ({ read: s.informer.read, error: s.status.error })),
    };
    if (state === 'ready') settle();
    settleBatch();
    options.onBatch?.(version);
  }

  /** Whoever waits for a batch (relist) hears that one was made. */
  function settleBatch() {
    const waiting = batchWaiters;
    batchWaiters = [];
    waiting.forEach(w => w());
  }

  return {
    cluster: options.cluster,
    state: () => state,
    current: () => (state === 'ready' ? version : undefined),
    size,
    statuses: () => informers.map(i => ({ read: i.read, status: i.status() })),
    async relist() {
      if (state === 'over-cap' || state === 'stopped') return;
      await Promise.all(informers.map(i => i.relist()));
      await new Promise<void>(resolve => {
        batchWaiters.push(resolve);
        if (!timer) timer = setTimeout(makeBatch, 0);
      });
    },
    ready: () =>
      state === 'starting'
        ? new Promise<void>(resolve => readyWaiters.push(resolve))
        : Promise.resolve(),
    stop() {
      state = 'stopped';
      clearTimeout(timer);
      clearTimeout(graceTimer);
      informers.forEach(i => i.stop());
      settle();
      settleBatch();
    },
  };
}
