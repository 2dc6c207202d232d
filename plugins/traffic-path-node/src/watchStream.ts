/*
 * One watch of a list path: the API server's chunked stream of
 * newline-delimited JSON events, read line by line, each line bounded.
 * Opened straight over HTTPS with a kubeconfig's TLS and credentials
 * (`openWatchStream`, read by `httpsWatch` and passed on as it is by the
 * module's watch route), or through the Traffic Path module of the Kubernetes
 * backend, which opens it with the cluster's server-side credentials
 * (`moduleWatch`). Either way a stream that says nothing for too long is
 * cut: an API server sends a bookmark about every minute.
 */
import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest, RequestOptions } from 'node:https';
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import { ReadError } from './readError';
import { ApiServer, boundedText } from './transport';

export type WatchEventType =
  | 'ADDED'
  | 'MODIFIED'
  | 'DELETED'
  | 'BOOKMARK'
  | 'ERROR';

/** One event of a watch; for `ERROR` the object is a `Status`. */
export type WatchEvent = { type: WatchEventType; object: KubeObject };

export type WatchOptions = {
  /** The version to watch from: the list's, or the last event's. */
  resourceVersion: string;
  signal: AbortSignal;
  /** Asked of the API server, which then ends the stream cleanly. */
  timeoutSeconds: number;
  /** A stream silent this long is cut (no bookmark, no event). */
  idleMs: number;
};

/**
 * Opens a watch of a read's path and yields its events until the stream
 * ends. Throws a `ReadError` when it cannot be opened (`status` keeps the
 * API server's code), when it breaks, or when it goes silent.
 */
export type OpenWatch = (
  read: ClusterRead,
  options: WatchOptions,
) => AsyncIterable<WatchEvent>;

const EVENT_TYPES = new Set([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

/** The watch request of a list path: its own query kept, the watch parameters added. */
export function watchPath(
  path: string,
  resourceVersion: string,
  timeoutSeconds: number,
): string {
  const params = [
    'watch=true',
    `resourceVersion=${encodeURIComponent(resourceVersion)}`,
    'allowWatchBookmarks=true',
    `timeoutSeconds=${Math.max(1, Math.round(timeoutSeconds))}`,
  ];
  return `${path}${path.includes('?') ? '&' : '?'}${params.join('&')}`;
}

/** One line of a watch stream as an event, or a `bad-body` error naming the path. */
export function eventOfLine(path: string, line: string): WatchEvent {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw new ReadError(path, 'bad-body', 'a watch event that is not JSON');
  }
  const { type, object } = (event ?? {}) as {
    type?: unknown;
    object?: unknown;
  };
  if (
    typeof type !== 'string' ||
    !EVENT_TYPES.has(type) ||
    !object ||
    typeof object !== 'object'
  )
    throw new ReadError(
      path,
      'bad-body',
      'a watch event without a known type and an object',
    );
  return { type: type as WatchEventType, object: object as KubeObject };
}

/**
 * The events of a stream of newline-delimited JSON. A line longer than
 * `maxLineBytes` is an error: one object is never that large.
 */
export async function* watchEventsOf(
  chunks: AsyncIterable<Uint8Array | string>,
  path: string,
  maxLineBytes: number,
): AsyncGenerator<WatchEvent> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending +=
      typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield eventOfLine(path, line);
      newline = pending.indexOf('\n');
    }
    if (pending.length > maxLineBytes)
      throw new ReadError(
        path,
        'too-large',
        `a watch event larger than ${maxLineBytes} bytes`,
      );
  }
  const rest = (pending + decoder.decode()).trim();
  if (rest) yield eventOfLine(path, rest);
}

/**
 * Chunks of a readable that end with an `unreachable` error when nothing
 * arrives for `idleMs` (a stalled watch), or when the signal aborts.
 */
async function* untilIdle(
  source: NodeJS.ReadableStream & { destroy(error?: Error): void },
  path: string,
  idleMs: number,
): AsyncGenerator<Uint8Array | string> {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        source.destroy(
          new ReadError(
            path,
            'timeout',
            `the watch said nothing for ${Math.round(idleMs / 1000)} s`,
          ),
        ),
      idleMs,
    );
  };
  arm();
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      arm();
      yield chunk;
    }
  } finally {
    clearTimeout(timer);
  }
}

const MAX_LINE_BYTES = 16 * 1024 * 1024;
const MAX_ERROR_BYTES = 64 * 1024;

const statusError = (path: string, status: number, text: string) => {
  let message = text.slice(0, 200) || 'no body';
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body?.message === 'string') message = body.message;
  } catch {
    // not a Status: its first characters say what it was
  }
  return new ReadError(path, 'status', message, status);
};

const asWatchError = (path: string, e: unknown, signal?: AbortSignal) =>
  e instanceof ReadError
    ? e
    : new ReadError(
        path,
        signal?.aborted ? 'timeout' : 'unreachable',
        e instanceof Error ? e.message : String(e),
      );

export type OpenWatchStreamOptions = {
  resourceVersion: string;
  timeoutSeconds: number;
  /** No answer (its status line) within this is a `timeout`. */
  openTimeoutMs: number;
  signal?: AbortSignal;
};

/**
 * Opens the watch of a list path on an API server (its address, TLS,
 * credentials and agent from `api`) and resolves with the response, whatever
 * its status: `httpsWatch` reads it, the module's watch route passes it on as
 * it is. Rejects with a `ReadError` when there is no answer in time or no
 * connection.
 */
export async function openWatchStream(
  api: ApiServer,
  path: string,
  options: OpenWatchStreamOptions,
): Promise<IncomingMessage> {
  const url = new URL(
    api.server.replace(/\/$/, '') +
      watchPath(path, options.resourceVersion, options.timeoutSeconds),
  );
  const requestOptions: RequestOptions = {
    method: 'GET',
    headers: { Accept: 'application/json' },
    ...(options.signal ? { signal: options.signal } : {}),
  };
  await api.applyTo(requestOptions);
  if (url.protocol === 'http:') delete requestOptions.agent;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
      url,
      requestOptions,
      resolve,
    );
    req.setTimeout(options.openTimeoutMs, () =>
      req.destroy(
        new ReadError(
          path,
          'timeout',
          `no answer within ${options.openTimeoutMs / 1000} s`,
        ),
      ),
    );
    req.on('error', e => reject(asWatchError(path, e, options.signal)));
    req.end();
  });
  // Open: from here the stream's own idleness bounds it, not the wait for an answer.
  res.setTimeout(0);
  return res;
}

/** Watches straight on an API server (kept-alive agent and credentials of `api`). */
export function httpsWatch(api: ApiServer): OpenWatch {
  return async function* watch(read, options) {
    const res = await openWatchStream(api, read.path, {
      resourceVersion: options.resourceVersion,
      timeoutSeconds: options.timeoutSeconds,
      openTimeoutMs: options.idleMs,
      signal: options.signal,
    });
    if (res.statusCode !== 200) {
      const text = await boundedText(res, MAX_ERROR_BYTES, read.path).catch(
        () => '',
      );
      throw statusError(read.path, res.statusCode ?? 0, text);
    }
    try {
      yield* watchEventsOf(
        untilIdle(res, read.path, options.idleMs),
        read.path,
        MAX_LINE_BYTES,
      );
    } catch (e) {
      throw asWatchError(read.path, e, options.signal);
    } finally {
      res.destroy();
    }
  };
}

/**
 * Watches through a route that answers the stream itself (the Traffic Path
 * module of the Kubernetes backend): a POST of `{ …body, path,
 * resourceVersion, timeoutSeconds }` with the given headers.
 */
export function routeWatch(
  url: string,
  headers: () => Promise<Record<string, string>>,
  body: Record<string, unknown>,
): OpenWatch {
  return async function* watch(read, options) {
    let res: Response;
    const idle = new AbortController();
    const signal = AbortSignal.any([options.signal, idle.signal]);
    const opened = setTimeout(() => idle.abort(), options.idleMs);
    try {
      res = await fetch(url, {
        method: 'POST',
        signal,
        headers: { ...(await headers()), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          ...body,
          path: read.path,
          kind: read.kind,
          resourceVersion: options.resourceVersion,
          timeoutSeconds: options.timeoutSeconds,
        }),
      });
    } catch (e) {
      throw asWatchError(read.path, e, signal);
    } finally {
      clearTimeout(opened);
    }
    if (res.status !== 200) {
      const text = res.body
        ? await boundedText(res.body, MAX_ERROR_BYTES, read.path).catch(
            () => '',
          )
        : '';
      let message = text;
      try {
        const parsed = JSON.parse(text) as {
          error?: { message?: string };
          message?: string;
        };
        message = parsed.error?.message ?? parsed.message ?? text;
      } catch {
        // the first characters say enough
      }
      throw new ReadError(
        read.path,
        'status',
        message.slice(0, 300) || 'no body',
        res.status,
      );
    }
    if (!res.body) return;
    const reader = res.body;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), options.idleMs);
    };
    async function* chunks() {
      arm();
      for await (const chunk of reader) {
        arm();
        yield chunk;
      }
    }
    try {
      yield* watchEventsOf(chunks(), read.path, MAX_LINE_BYTES);
    } catch (e) {
      if (idle.signal.aborted && !options.signal.aborted)
        throw new ReadError(
          read.path,
          'timeout',
          `the watch said nothing for ${Math.round(options.idleMs / 1000)} s`,
        );
      throw asWatchError(read.path, e, signal);
    } finally {
      clearTimeout(timer);
      idle.abort();
    }
  };
}
