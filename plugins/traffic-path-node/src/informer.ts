/*
 * An informer for one read: list it once, then watch from the list's
 * version, as client-go's reflector does. Bookmarks move the version on;
 * a stream that ends is watched again from the last version seen (a
 * dropped connection loses nothing); `410 Gone` (the version is older than
 * the API server keeps) lists again and replaces the store, so nothing is
 * lost or counted twice; other failures wait with exponential backoff and
 * full jitter. Objects are trimmed on intake, before they are kept. An
 * event whose kept object says what the stored one says (a Node's
 * heartbeat, a Pod's restart count) moves the version on and is no change:
 * the stored object stays, the very same object, and `onChange` is not
 * called; a list keeps, likewise, the objects that did not change, so a
 * relist after `410 Gone` is seen as no change of them (modelIndex compares
 * by reference).
 */
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import { sameKept } from './intake';
import { ReadError, ReadOutcome } from './readError';
import { readFailure } from './readPolicy';
import { OpenWatch, WatchEvent } from './watchStream';

export type ListOnce = (
  read: ClusterRead,
  signal: AbortSignal,
) => Promise<ReadOutcome<KubeObject>>;

export type Backoff = {
  /** The first wait after a failure. */
  initialMs: number;
  /** No wait is longer. */
  maxMs: number;
};

export type InformerOptions = {
  read: ClusterRead;
  list: ListOnce;
  watch: OpenWatch;
  /** Keeps of an object only what is read later (see `intake.ts`). */
  trim(object: KubeObject): KubeObject;
  /** Whether two kept objects say the same (default `sameKept`): the later is then no change. */
  same?(a: KubeObject, b: KubeObject): boolean;
  /** The lists come trimmed already (the module trims them page by page): not copied again. */
  listsTrimmed?: boolean;
  /** Called after every change of the store (a list, an event). */
  onChange(): void;
  backoff: Backoff;
  /** Asked of the API server for each watch; a watch is opened again after it. */
  watchTimeoutSeconds: number;
  /** A watch silent this long is cut and opened again. */
  idleMs: number;
  /** How often a kind the cluster lacks (an `absentOk` 404) or refuses (401, 403) is asked again. */
  absentRecheckMs: number;
  /** Random numbers in [0, 1) for the jitter (tests pass their own). */
  random?: () => number;
};

export type InformerStatus = {
  /** Listed at least once and not failed since: the store is the cluster's. */
  synced: boolean;
  /** The last failure, until a list or a watch succeeds again. */
  error?: ReadError;
  /** An `absentOk` kind the cluster does not have (404): none, and synced. */
  absent: boolean;
  /** The API server refused the list (401, 403): asked again only now and then. */
  refused: boolean;
  /** When the store last matched the API server (a list, an event, a bookmark). */
  observedAt?: number;
  lists: number;
  watches: number;
  resourceVersion?: string;
};

export type Informer = {
  readonly read: ClusterRead;
  objects(): IterableIterator<KubeObject>;
  size(): number;
  status(): InformerStatus;
  /** Lists again now (the Refresh of the card); resolves once that list is done. */
  relist(): Promise<void>;
  stop(): void;
};

/** Full jitter: a random wait up to the exponential bound, as the AWS architecture blog advises. */
export function backoffDelay(
  attempt: number,
  backoff: Backoff,
  random: () => number,
): number {
  const bound = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
  return Math.round(bound / 2 + (random() * bound) / 2);
}

/** Identity of an object within one read (one kind, one group). */
export const objectKey = (o: KubeObject) =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

class Gone extends Error {}

export function startInformer(options: InformerOptions): Informer {
  const { read } = options;
  const random = options.random ?? Math.random;
  const same = options.same ?? sameKept;
  let store = new Map<string, KubeObject>();
  const status: InformerStatus = {
    synced: false,
    absent: false,
    refused: false,
    lists: 0,
    watches: 0,
  };
  const stopping = new AbortController();
  let current: AbortController | undefined;
  let mustList = true;
  let listing = false;
  let waiters: (() => void)[] = [];
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function list(): Promise<boolean> {
    status.lists += 1;
    // Not `current`: a relist() asked during a list waits for it instead of cutting it.
    const outcome = await options.list(read, stopping.signal);
    if (stopping.signal.aborted) return false;
    if ('error' in outcome) {
      if (readFailure(read, outcome.error) === 'absent') {
        // A CRD the cluster lacks: none of its objects. It may be installed later.
        store.clear();
        Object.assign(status, {
          synced: true,
          absent: true,
          error: undefined,
          observedAt: Date.now(),
        });
        options.onChange();
        return false;
      }
      status.error = outcome.error;
      status.synced = false;
      status.refused =
        outcome.error.status === 401 || outcome.error.status === 403;
      options.onChange();
      return false;
    }
    const before = store;
    store = new Map();
    for (const o of outcome.objects) {
      if (!o || typeof o !== 'object') continue;
      const key = objectKey(o);
      const kept = options.listsTrimmed ? o : options.trim(o);
      const earlier = before.get(key);
      store.set(key, earlier && same(earlier, kept) ? earlier : kept);
    }
    Object.assign(status, {
      synced: true,
      absent: false,
      refused: false,
      error: undefined,
      observedAt: Date.now(),
      resourceVersion: outcome.resourceVersion,
    });
    mustList = !outcome.resourceVersion;
    options.onChange();
    return true;
  }

  /** Whoever asked for a list hears when one was made, whatever came of it. */
  function listAnswered() {
    const asked = waiters;
    waiters = [];
    asked.forEach(w => w());
  }

  function apply(event: WatchEvent) {
    const version = event.object.metadata?.resourceVersion;
    let changed = event.type !== 'BOOKMARK';
    switch (event.type) {
      case 'ERROR': {
        const code = (event.object as { code?: unknown }).code;
        if (code === 410) throw new Gone();
        throw new ReadError(
          read.path,
          'status',
          (event.object as { message?: string }).message ?? 'a watch error',
          typeof code === 'number' ? code : undefined,
        );
      }
      case 'BOOKMARK':
        break;
      case 'DELETED':
        store.delete(objectKey(event.object));
        break;
      default: {
        if (event.object.kind === undefined && read.kind)
          event.object.kind = read.kind;
        const key = objectKey(event.object);
        const kept = options.trim(event.object);
        const earlier = store.get(key);
        if (earlier && same(earlier, kept)) changed = false;
        else store.set(key, kept);
      }
    }
    if (typeof version === 'string' && version)
      status.resourceVersion = version;
    status.observedAt = Date.now();
    if (changed) options.onChange();
  }

  /** Watches until the stream ends; how many events it brought. */
  async function watch(): Promise<number> {
    status.watches += 1;
    current = new AbortController();
    const events = options.watch(read, {
      resourceVersion: status.resourceVersion!,
      signal: AbortSignal.any([stopping.signal, current.signal]),
      timeoutSeconds: options.watchTimeoutSeconds,
      idleMs: options.idleMs,
    });
    let count = 0;
    for await (const event of events) {
      apply(event);
      count += 1;
    }
    return count;
  }

  async function run() {
    let failures = 0;
    while (!stopping.signal.aborted) {
      if (mustList) {
        listing = true;
        const listed = await list();
        listing = false;
        listAnswered();
        if (stopping.signal.aborted) return;
        if (!listed) {
          // A kind the cluster lacks or refuses is asked again seldom: a CRD is seldom
          // installed, a role seldom granted, and asking more often is a periodic list.
          await sleep(
            status.absent || status.refused
              ? options.absentRecheckMs
              : backoffDelay(failures++, options.backoff, random),
          );
          continue;
        }
        failures = 0;
      }
      try {
        const opened = Date.now();
        const events = await watch();
        // Ended cleanly (timeoutSeconds): watch again from the last version, at once,
        // unless the stream ends as soon as it opens, which would spin.
        if (events > 0 || Date.now() - opened > 1000) failures = 0;
        else if (!mustList)
          await sleep(backoffDelay(failures++, options.backoff, random));
      } catch (e) {
        if (stopping.signal.aborted) return;
        if (e instanceof Gone || (e as ReadError).status === 410) {
          mustList = true;
          continue;
        }
        if (mustList) continue; // relist() cut the watch
        status.error =
          e instanceof ReadError
            ? e
            : new ReadError(read.path, 'unreachable', String(e));
        options.onChange();
        await sleep(backoffDelay(failures++, options.backoff, random));
      }
    }
  }

  run().catch(() => {});

  return {
    read,
    objects: () => store.values(),
    size: () => store.size,
    status: () => ({ ...status }),
    relist() {
      const done = new Promise<void>(resolve => waiters.push(resolve));
      mustList = true;
      if (!listing) {
        current?.abort();
        wake?.();
      }
      return done;
    },
    stop() {
      stopping.abort();
      wake?.();
      waiters.forEach(w => w());
      waiters = [];
    },
  };
}
