/*
 * `?watch=true` on a list path, as the API server's watch cache answers it:
 * newline-delimited JSON events in a chunked response, starting from the
 * current state (ADDED for every object, when no resourceVersion or "0" is
 * given) or after a given resourceVersion (the kept changes after it), then
 * every change as it happens, filtered by namespace and selectors; BOOKMARK
 * events when asked for; an ERROR event with a 410 Status for a version no
 * longer kept; the end of the stream after timeoutSeconds.
 *
 * Each event is serialised once per watch that receives it, from the one
 * object that changed; the initial state is written in batches that wait
 * for the socket to drain, so a 50k-pod state does not sit in memory twice.
 */
import { ServerResponse } from 'node:http';
import {
  fieldSelector,
  KubeObject,
  labelSelector,
  SelectorError,
} from '@internal/plugin-traffic-path-common';
import { groupVersion } from './resources';
import { status, statusBody } from './responses';
import { Change, Collection, Store } from './store';

export type WatchEventType =
  | 'ADDED'
  | 'MODIFIED'
  | 'DELETED'
  | 'BOOKMARK'
  | 'ERROR';

/** What a fault does to a watch. */
export type WatchFault = {
  /** Cut the connection (no clean end) after this many events. */
  dropAfterEvents?: number;
  /** Open the watch, send nothing, never end. */
  stall?: boolean;
  /** Open the watch and send an ERROR event with a 410 Expired Status, as for a version no longer kept. */
  expire?: boolean;
  /** Open the watch and send a line that is not JSON. */
  malformed?: boolean;
};

export type WatchTarget = {
  collection: Collection;
  namespace?: string;
  /** A watch of one object (`…/pods/<name>?watch=true`). */
  name?: string;
};

export type WatchSettings = {
  bookmarkIntervalMs: number;
  /** The API server's --min-request-timeout: a watch without timeoutSeconds ends after 1–2 times this. */
  minRequestTimeoutSeconds: number;
  /** How many changes may wait for a client that does not read before its watch is ended. */
  maxBacklog: number;
  /** Called for every event written, for the request counter. */
  onEvent(type: WatchEventType): void;
  /** Registers an open watch's way to end it (cleanly, or by cutting the connection); returns the unregister function. */
  onOpen(end: (how: 'end' | 'drop') => void): () => void;
};

/** The parameters that make a request a watch (`watch=true`, `watch=1`). */
export function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1';
}

type Pending =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'BOOKMARK'; resourceVersion: string; initialEventsEnd?: boolean };

const BATCH = 500;

/** Parses an unsigned integer parameter; undefined when absent, NaN when invalid. */
function integer(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : NaN;
}

/** A watch's parameters, read and checked as the API server does. */
type WatchRequest = {
  selected: (o: KubeObject) => boolean;
  /** Start with ADDED for the current state (else: the changes after `fromVersion`). */
  withState: boolean;
  fromVersion?: number;
  /** End the initial state with a BOOKMARK marked `k8s.io/initial-events-end` (sendInitialEvents). */
  markInitialEnd: boolean;
  bookmarks: boolean;
  timeoutSeconds?: number;
};

type Refusal = {
  refused: true;
  code: number;
  reason: string;
  message: string;
  details?: Record<string, unknown>;
};

const refuse = (
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): Refusal => ({ refused: true, code, reason, message, details });

export function parseWatchRequest(
  query: URLSearchParams,
  target: WatchTarget,
  currentVersion: number,
): WatchRequest | Refusal {
  let labels: (o: KubeObject) => boolean;
  let fields: (o: KubeObject) => boolean;
  try {
    labels = labelSelector(query.get('labelSelector'));
    fields = fieldSelector(query.get('fieldSelector'));
  } catch (e) {
    if (e instanceof SelectorError) return refuse(400, 'BadRequest', e.message);
    throw e;
  }
  const rvParam = query.get('resourceVersion');
  const fromVersion = integer(rvParam);
  if (Number.isNaN(fromVersion))
    return refuse(
      400,
      'BadRequest',
      `resourceVersion: Invalid value: "${rvParam}": must be an integer`,
    );
  const timeoutSeconds = integer(query.get('timeoutSeconds'));
  if (Number.isNaN(timeoutSeconds))
    return refuse(
      400,
      'BadRequest',
      `timeoutSeconds: Invalid value: "${query.get(
        'timeoutSeconds',
      )}": must be an integer`,
    );
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const sendInitialEvents = query.get('sendInitialEvents');
  const match = query.get('resourceVersionMatch');
  if (sendInitialEvents === null && match)
    return refuse(
      422,
      'Invalid',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
  if (sendInitialEvents !== null && match !== 'NotOlderThan')
    return refuse(
      422,
      'Invalid',
      'resourceVersionMatch: Unsupported value: sendInitialEvents requires resourceVersionMatch=NotOlderThan',
    );
  if (sendInitialEvents === 'true' && !bookmarks)
    return refuse(
      422,
      'Invalid',
      'allowWatchBookmarks: Required value: sendInitialEvents requires allowWatchBookmarks=true',
    );
  if (fromVersion && fromVersion > currentVersion)
    return refuse(
      504,
      'Timeout',
      `Too large resource version: ${fromVersion}, current: ${currentVersion}`,
      {
        causes: [
          {
            reason: 'ResourceVersionTooLarge',
            message: 'Too large resource version',
          },
        ],
        retryAfterSeconds: 1,
      },
    );
  const { namespace, name } = target;
  return {
    selected: o =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      (name === undefined || o.metadata.name === name) &&
      labels(o) &&
      fields(o),
    // "Get State and Start at Most Recent" (unset) and "at Any" ("0") both
    // begin with the current state; sendInitialEvents decides it explicitly.
    withState:
      sendInitialEvents !== null
        ? sendInitialEvents === 'true'
        : fromVersion === undefined || fromVersion === 0,
    fromVersion: fromVersion || undefined,
    markInitialEnd: sendInitialEvents === 'true',
    bookmarks,
    timeoutSeconds,
  };
}

/**
 * What a change is for a watch that selects objects, as the watch cache
 * makes it: an object that stops matching is DELETED (its former state at
 * the change's version), one that starts matching is ADDED.
 */
export function eventFor(
  change: Change,
  selected: (o: KubeObject) => boolean,
): Pending | undefined {
  const now = selected(change.object);
  const before = change.previous ? selected(change.previous) : false;
  if (change.type === 'ADDED')
    return now ? { type: 'ADDED', object: change.object } : undefined;
  if (change.type === 'DELETED')
    return before ? { type: 'DELETED', object: change.object } : undefined;
  if (now)
    return { type: before ? 'MODIFIED' : 'ADDED', object: change.object };
  if (!before) return undefined;
  const last = change.previous!;
  return {
    type: 'DELETED',
    object: {
      ...last,
      metadata: {
        ...last.metadata,
        resourceVersion: String(change.resourceVersion),
      },
    },
  };
}

/**
 * The events of one open watch, in order, written as the socket takes
 * them; ends cleanly (timeout, endWatches), by a cut (faults, a client that
 * does not read), or when the client goes.
 */
class WatchWriter {
  private readonly queue: Pending[] = [];
  private next = 0;
  private writing = false;
  private finished = false;
  private sent = 0;
  private readonly cleanup: (() => void)[] = [];
  private backlogLimit = Infinity;

  constructor(
    private readonly res: ServerResponse,
    private readonly resource: { kind: string; apiVersion: string },
    private readonly settings: WatchSettings,
    private readonly dropAfterEvents: number | undefined,
  ) {
    // The client went away (or the demo cluster closed): stop feeding it.
    res.on('close', () => this.finish('closed'));
  }

  push(p: Pending) {
    this.queue.push(p);
  }

  /** From now on, at most `maxBacklog` more events wait for the client. */
  limitBacklog(maxBacklog: number) {
    this.backlogLimit = this.queue.length - this.next + maxBacklog;
  }

  /** Adds a live event; cuts the watch of a client that does not read. */
  pushLive(p: Pending | undefined) {
    if (!p) return;
    this.queue.push(p);
    // Cut, not ended: an end would wait behind what the client never reads.
    if (this.queue.length - this.next > this.backlogLimit) this.finish('drop');
    else this.flush();
  }

  onFinish(f: () => void) {
    this.cleanup.push(f);
  }

  finish = (how: 'end' | 'drop' | 'closed') => {
    if (this.finished) return;
    this.finished = true;
    this.cleanup.forEach(f => f());
    if (how === 'drop') this.res.destroy();
    else if (how === 'end') this.res.end();
  };

  private line(p: Pending): string {
    if (p.type !== 'BOOKMARK')
      return `${JSON.stringify({ type: p.type, object: p.object })}\n`;
    const metadata = {
      resourceVersion: p.resourceVersion,
      ...(p.initialEventsEnd
        ? { annotations: { 'k8s.io/initial-events-end': 'true' } }
        : {}),
    };
    return `${JSON.stringify({
      type: 'BOOKMARK',
      object: { ...this.resource, metadata },
    })}\n`;
  }

  private readonly drained = () => {
    this.writing = false;
    this.flush();
  };

  flush() {
    if (this.writing || this.finished) return;
    const limit = this.dropAfterEvents;
    if (limit === 0) {
      this.writing = true;
      this.res.write('', () => this.finish('drop'));
      return;
    }
    while (this.next < this.queue.length) {
      let end = Math.min(this.queue.length, this.next + BATCH);
      if (limit !== undefined)
        end = Math.min(end, this.next + limit - this.sent);
      let text = '';
      for (let i = this.next; i < end; i++) {
        text += this.line(this.queue[i]);
        this.settings.onEvent(this.queue[i].type);
      }
      this.sent += end - this.next;
      this.next = end;
      if (limit !== undefined && this.sent >= limit) {
        // Let what was promised reach the client, then cut the connection.
        this.writing = true;
        this.res.write(text, () => this.finish('drop'));
        return;
      }
      if (!this.res.write(text)) {
        this.writing = true;
        this.res.once('drain', this.drained);
        return;
      }
    }
    // Everything is written: let the queue's memory go.
    this.queue.length = 0;
    this.next = 0;
  }
}

export function serveWatch(
  store: Store,
  target: WatchTarget,
  query: URLSearchParams,
  res: ServerResponse,
  fault: WatchFault | undefined,
  settings: WatchSettings,
): number {
  const request = parseWatchRequest(query, target, store.currentVersion);
  if ('refused' in request)
    return status(
      res,
      request.code,
      request.reason,
      request.message,
      request.details,
    );
  const { collection } = target;
  const current = store.currentVersion;
  const start = request.withState ? current : request.fromVersion ?? current;

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  const endWithExpired = (message: string) => {
    settings.onEvent('ERROR');
    const body = statusBody(410, 'Expired', message);
    res.end(`${JSON.stringify({ type: 'ERROR', object: body })}\n`);
    return 200;
  };
  if (fault?.stall) {
    // Stalled, but still one of the open watches that can be ended.
    const unregister = settings.onOpen(how =>
      how === 'drop' ? res.destroy() : res.end(),
    );
    res.on('close', unregister);
    return 200;
  }
  if (fault?.malformed) {
    res.end('{"type": "ADDED", "object": {"kind": this is not JSON\n');
    return 200;
  }
  if (fault?.expire)
    return endWithExpired(
      `too old resource version: ${start} (injected fault)`,
    );
  const replay = request.withState ? [] : store.changesSince(start);
  // ('future' cannot happen: a version newer than the store's was refused above.)
  if (typeof replay === 'string')
    return endWithExpired(
      `too old resource version: ${start} (${store.oldestVersion})`,
    );

  const writer = new WatchWriter(
    res,
    {
      kind: collection.resource.kind,
      apiVersion: groupVersion(collection.resource),
    },
    settings,
    fault?.dropAfterEvents,
  );
  const { selected } = request;
  const forThisWatch = (change: Change) =>
    change.collection === collection ? eventFor(change, selected) : undefined;
  if (request.withState) {
    for (const o of collection.objects.values())
      if (selected(o)) writer.push({ type: 'ADDED', object: o });
    if (request.markInitialEnd)
      writer.push({
        type: 'BOOKMARK',
        resourceVersion: String(current),
        initialEventsEnd: true,
      });
  } else {
    for (const change of replay) {
      const event = forThisWatch(change);
      if (event) writer.push(event);
    }
  }
  writer.limitBacklog(settings.maxBacklog);
  writer.onFinish(settings.onOpen(writer.finish));
  writer.onFinish(
    store.subscribe(change => writer.pushLive(forThisWatch(change))),
  );
  if (request.bookmarks) {
    const timer = setInterval(
      () =>
        writer.pushLive({
          type: 'BOOKMARK',
          resourceVersion: store.resourceVersion,
        }),
      settings.bookmarkIntervalMs,
    );
    writer.onFinish(() => clearInterval(timer));
  }
  const seconds =
    request.timeoutSeconds ||
    settings.minRequestTimeoutSeconds * (1 + Math.random());
  const timeout = setTimeout(() => writer.finish('end'), seconds * 1000);
  writer.onFinish(() => clearTimeout(timeout));
  writer.flush();
  return 200;
}
