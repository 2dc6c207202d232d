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

export function serveWatch(
  store: Store,
  target: WatchTarget,
  query: URLSearchParams,
  res: ServerResponse,
  fault: WatchFault | undefined,
  settings: WatchSettings,
): number {
  const { collection, namespace, name } = target;
  let labels: (o: KubeObject) => boolean;
  let fields: (o: KubeObject) => boolean;
  try {
    labels = labelSelector(query.get('labelSelector'));
    fields = fieldSelector(query.get('fieldSelector'));
  } catch (e) {
    if (e instanceof SelectorError)
      return status(res, 400, 'BadRequest', e.message);
    throw e;
  }
  const rvParam = query.get('resourceVersion');
  const fromVersion = integer(rvParam);
  if (Number.isNaN(fromVersion))
    return status(
      res,
      400,
      'BadRequest',
      `resourceVersion: Invalid value: "${rvParam}": must be an integer`,
    );
  const timeoutSeconds = integer(query.get('timeoutSeconds'));
  if (Number.isNaN(timeoutSeconds))
    return status(
      res,
      400,
      'BadRequest',
      `timeoutSeconds: Invalid value: "${query.get(
        'timeoutSeconds',
      )}": must be an integer`,
    );
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const sendInitialEventsParam = query.get('sendInitialEvents');
  const match = query.get('resourceVersionMatch');
  if (sendInitialEventsParam === null && match)
    return status(
      res,
      422,
      'Invalid',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
  if (sendInitialEventsParam !== null) {
    if (match !== 'NotOlderThan')
      return status(
        res,
        422,
        'Invalid',
        'resourceVersionMatch: Unsupported value: sendInitialEvents requires resourceVersionMatch=NotOlderThan',
      );
    if (sendInitialEventsParam === 'true' && !bookmarks)
      return status(
        res,
        422,
        'Invalid',
        'allowWatchBookmarks: Required value: sendInitialEvents requires allowWatchBookmarks=true',
      );
  }
  // "Get State and Start at Most Recent" (unset) and "at Any" ("0") both
  // begin with the current state; sendInitialEvents decides it explicitly.
  const withState =
    sendInitialEventsParam !== null
      ? sendInitialEventsParam === 'true'
      : fromVersion === undefined || fromVersion === 0;
  const current = store.currentVersion;
  if (fromVersion && fromVersion > current)
    return status(
      res,
      504,
      'Timeout',
      `Too large resource version: ${fromVersion}, current: ${current}`,
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

  const start = withState || !fromVersion ? current : fromVersion;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  const kind = collection.resource.kind;
  const apiVersion = groupVersion(collection.resource);
  const line = (type: WatchEventType, object: unknown) =>
    `${JSON.stringify({ type, object })}\n`;
  const endWithError = (code: number, message: string) => {
    settings.onEvent('ERROR');
    res.end(line('ERROR', statusBody(code, 'Expired', message)));
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
    return endWithError(
      410,
      `too old resource version: ${start} (injected fault)`,
    );
  const replay = withState ? [] : store.changesSince(start);
  // ('future' cannot happen: a version newer than the store's got its 504 above.)
  if (typeof replay === 'string')
    return endWithError(
      410,
      `too old resource version: ${start} (${store.oldestVersion})`,
    );

  const selected = (o: KubeObject) =>
    (namespace === undefined || o.metadata.namespace === namespace) &&
    (name === undefined || o.metadata.name === name) &&
    labels(o) &&
    fields(o);
  const queue: Pending[] = [];
  let next = 0;
  let writing = false;
  let finished = false;
  let sent = 0;

  // As the watch cache does: an object that stops matching is DELETED for
  // this watch (its former state), one that starts matching is ADDED.
  const enqueueChange = (change: Change) => {
    if (change.collection !== collection) return;
    const now = selected(change.object);
    const before = change.previous ? selected(change.previous) : false;
    if (change.type === 'ADDED') {
      if (now) queue.push({ type: 'ADDED', object: change.object });
    } else if (change.type === 'DELETED') {
      if (before) queue.push({ type: 'DELETED', object: change.object });
    } else if (now && before) {
      queue.push({ type: 'MODIFIED', object: change.object });
    } else if (now) {
      queue.push({ type: 'ADDED', object: change.object });
    } else if (before) {
      const last = change.previous!;
      queue.push({
        type: 'DELETED',
        object: {
          ...last,
          metadata: {
            ...last.metadata,
            resourceVersion: String(change.resourceVersion),
          },
        },
      });
    }
  };

  const serialise = (p: Pending): string =>
    p.type === 'BOOKMARK'
      ? line('BOOKMARK', {
          kind,
          apiVersion,
          metadata: {
            resourceVersion: p.resourceVersion,
            ...(p.initialEventsEnd
              ? { annotations: { 'k8s.io/initial-events-end': 'true' } }
              : {}),
          },
        })
      : line(p.type, p.object);

  const cleanup: (() => void)[] = [];
  const finish = (how: 'end' | 'drop' | 'closed') => {
    if (finished) return;
    finished = true;
    cleanup.forEach(f => f());
    if (how === 'drop') res.destroy();
    else if (how === 'end') res.end();
  };

  const drained = () => {
    writing = false;
    flush();
  };
  function flush() {
    if (writing || finished) return;
    while (next < queue.length) {
      let end = Math.min(queue.length, next + BATCH);
      const limit = fault?.dropAfterEvents;
      if (limit !== undefined) end = Math.min(end, next + (limit - sent));
      const batch = queue.slice(next, end);
      next = end;
      let text = '';
      for (const p of batch) {
        text += serialise(p);
        settings.onEvent(p.type);
      }
      sent += batch.length;
      if (limit !== undefined && sent >= limit) {
        // Let what was promised reach the client, then cut the connection.
        res.write(text, () => finish('drop'));
        writing = true;
        return;
      }
      const ok = res.write(text);
      if (!ok) {
        writing = true;
        res.once('drain', drained);
        return;
      }
    }
    // Everything is written: let the queue's memory go.
    queue.length = 0;
    next = 0;
  }

  if (withState) {
    for (const o of collection.objects.values())
      if (selected(o)) queue.push({ type: 'ADDED', object: o });
    if (sendInitialEventsParam === 'true')
      queue.push({
        type: 'BOOKMARK',
        resourceVersion: String(current),
        initialEventsEnd: true,
      });
  } else {
    for (const change of replay) enqueueChange(change);
  }
  const backlogLimit = queue.length + settings.maxBacklog;
  cleanup.push(settings.onOpen(finish));
  cleanup.push(
    store.subscribe(change => {
      enqueueChange(change);
      // A client that does not read holds the changes in memory; the API
      // server ends such a watch, and the client resumes from what it read.
      // Cut, not ended: an end would wait behind what the client never reads.
      if (queue.length - next > backlogLimit) finish('drop');
      else flush();
    }),
  );
  if (bookmarks) {
    const timer = setInterval(() => {
      queue.push({ type: 'BOOKMARK', resourceVersion: store.resourceVersion });
      flush();
    }, settings.bookmarkIntervalMs);
    cleanup.push(() => clearInterval(timer));
  }
  const seconds =
    timeoutSeconds || settings.minRequestTimeoutSeconds * (1 + Math.random());
  const timeout = setTimeout(() => finish('end'), seconds * 1000);
  cleanup.push(() => clearTimeout(timeout));
  // The client went away (or the demo cluster closed): stop feeding it.
  res.on('close', () => finish('closed'));
  if (fault?.dropAfterEvents === 0) {
    res.write('', () => finish('drop'));
    return 200;
  }
  flush();
  return 200;
}
