/*
 * One list read, page by page: `limit` / `continue` until the API server
 * has no more, each page's answer read the same way whatever carried it
 * (a direct HTTPS connection, the Kubernetes backend's proxy, or the
 * Traffic Path module's batch route). The transport is passed in.
 */
import {
  ClusterRead,
  KubeObject,
  listedObjects,
  statusMessage,
} from '@internal/plugin-traffic-path-common';
import { ReadError, ReadOutcome } from './readError';

/**
 * One page as a transport got it. A transport that had to parse the
 * answer already (the module's page arrives inside its own JSON) passes
 * the page as `body`, so that it is not written out and parsed again;
 * `text` is then what it has of the raw answer, for messages.
 */
export type PageAnswer = { status: number; text: string; body?: unknown };

/**
 * Gets one page. Throws a `ReadError` for what is not an answer: no
 * connection, no answer in time, a body beyond `maxBytes`.
 */
export type GetPage = (
  path: string,
  read: ClusterRead,
  limits: { maxBytes: number; signal?: AbortSignal },
) => Promise<PageAnswer>;

export type ListReadOptions = {
  /** Items per page (`limit`); 0 reads the list in one answer. */
  pageSize: number;
  /** Bytes all pages of one read may hold together. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Applied to each page's objects as it arrives (e.g. `trimForModel`), so a long list is never held whole. */
  transform?: (object: KubeObject) => KubeObject;
};

/** The path of one page of a read: its own query kept as written, `limit` and `continue` added. */
export function pagePath(
  path: string,
  pageSize: number,
  continueToken?: string,
): string {
  const params = [
    ...(pageSize > 0 ? [`limit=${pageSize}`] : []),
    ...(continueToken ? [`continue=${encodeURIComponent(continueToken)}`] : []),
  ];
  if (params.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${params.join('&')}`;
}

/** A page's objects and the token of the next, or why the page is not a list. */
export type Page =
  | { objects: KubeObject[]; continueToken?: string; resourceVersion?: string }
  | { error: ReadError };

/** What the API server answered for one page, already parsed (`undefined` when it was not JSON). */
export function pageOfBody(
  read: ClusterRead,
  status: number,
  body: unknown,
  rawText = '',
): Page {
  const ok = status >= 200 && status < 300;
  if (body === undefined) {
    return {
      error: ok
        ? new ReadError(
            read.path,
            'bad-body',
            'a body that is not JSON',
            status,
          )
        : new ReadError(
            read.path,
            'status',
            rawText.slice(0, 200) || 'no body',
            status,
          ),
    };
  }
  if (!ok)
    return {
      error: new ReadError(
        read.path,
        'status',
        statusMessage(body) ?? 'no message',
        status,
      ),
    };
  const objects = listedObjects(read, body);
  if (!objects)
    return {
      error: new ReadError(
        read.path,
        'bad-body',
        'an answer that is not a list',
        status,
      ),
    };
  const metadata = (
    body as { metadata?: { continue?: unknown; resourceVersion?: unknown } }
  ).metadata;
  const token = metadata?.continue;
  const version = metadata?.resourceVersion;
  return {
    objects,
    ...(typeof token === 'string' && token ? { continueToken: token } : {}),
    // What a watch starts from: every page shows the list at its first page's version.
    ...(typeof version === 'string' && version
      ? { resourceVersion: version }
      : {}),
  };
}

/** What the API server answered for one page, as text (or already parsed, see `PageAnswer`). */
export function pageOfText(read: ClusterRead, answer: PageAnswer): Page {
  if (answer.body !== undefined)
    return pageOfBody(read, answer.status, answer.body, answer.text);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    body = undefined;
  }
  return pageOfBody(read, answer.status, body, answer.text);
}

const asReadError = (read: ClusterRead, e: unknown): ReadError =>
  e instanceof ReadError
    ? new ReadError(read.path, e.problem, e.detail, e.status)
    : new ReadError(
        read.path,
        'unreachable',
        e instanceof Error ? e.message : String(e),
      );

/**
 * Reads a whole list. A `continue` token that expired while paging (HTTP
 * 410: the list changed too much) starts the list once more from the top,
 * as the API server asks.
 */
export async function readList(
  read: ClusterRead,
  getPage: GetPage,
  options: ListReadOptions,
): Promise<ReadOutcome<KubeObject>> {
  let objects: KubeObject[] = [];
  let token: string | undefined;
  let bytes = 0;
  let restarted = false;
  let pages = 0;
  let resourceVersion: string | undefined;
  for (;;) {
    pages += 1;
    let answer: PageAnswer;
    try {
      answer = await getPage(
        pagePath(read.path, options.pageSize, token),
        read,
        {
          maxBytes: options.maxBytes - bytes,
          signal: options.signal,
        },
      );
    } catch (e) {
      return { error: asReadError(read, e) };
    }
    bytes += Buffer.byteLength(answer.text);
    if (answer.status === 410 && token && !restarted) {
      restarted = true;
      objects = [];
      token = undefined;
      resourceVersion = undefined;
      continue;
    }
    const page = pageOfText(read, answer);
    if ('error' in page) return page;
    // Appended in place: a list of many pages is not copied once per page.
    for (const o of page.objects)
      objects.push(options.transform ? options.transform(o) : o);
    resourceVersion ??= page.resourceVersion;
    token = page.continueToken;
    if (!token)
      return {
        objects,
        pages,
        ...(resourceVersion ? { resourceVersion } : {}),
      };
  }
}
