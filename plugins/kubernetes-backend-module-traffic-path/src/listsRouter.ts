/*
 * The batch-read route, the watch route, and the capabilities route that
 * says they are there. They read only: GET on `/api/…` and `/apis/…` list
 * paths (a list, or a watch of one with the parameters the module sets),
 * never another host, and ask the same permissions as the Kubernetes
 * backend's proxy. Every list is read in full, page by page, within the
 * bounds of `trafficPath.reads`, and carries its `resourceVersion`, where a
 * watch of it starts.
 */
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesClustersSupplier,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import {
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ClusterRead } from '@internal/plugin-traffic-path-common';
import {
  apiServerOfKubeConfig,
  CAPABILITIES_ROUTE,
  httpsPages,
  ListsCapability,
  ListsResult,
  LISTS_ROUTE,
  LISTS_VERSION,
  ReadLimits,
  MAX_PAGE_SIZE,
  openWatchStream,
  PageAnswer,
  pageOfText,
  pagePath,
  ReadError,
  readList,
  trimForModel,
  WATCH_ROUTE,
} from '@internal/plugin-traffic-path-node';
import express from 'express';
import Router from 'express-promise-router';
import {
  agentCache,
  InClusterEnvironment,
  kubeConfigOf,
  podEnvironment,
} from './clusterConnection';
import { PagePrefetch, pagePrefetch, readerKey } from './pagePrefetch';

/** Reads per request: a cold snapshot of Traffic Path is 27 lists and the entity's pods. */
export const MAX_READS = 50;
const AUTH_HEADER = 'backstage-kubernetes-authorization';
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';

type Read = {
  path: string;
  kind: string;
  metadataOnly?: boolean;
  trim?: boolean;
  pageSize?: number;
  /** One page only (the caller pages), from this `continue` token when set. */
  page?: { continue?: string };
};

function readsOf(body: unknown): { cluster: string; reads: Read[] } {
  const { cluster, reads } = (body ?? {}) as {
    cluster?: unknown;
    reads?: unknown;
  };
  if (typeof cluster !== 'string' || !cluster)
    throw new InputError('cluster must be the name of a cluster');
  if (!Array.isArray(reads) || reads.length === 0 || reads.length > MAX_READS)
    throw new InputError(`reads must hold 1 to ${MAX_READS} reads`);
  return {
    cluster,
    reads: reads.map((r, i) => {
      const { path, kind } = (r ?? {}) as { path?: unknown; kind?: unknown };
      // Relative API paths of lists only: no host, no traversal (also encoded), no watch or
      // streaming, no subresource that reaches into pods or Services; the module pages itself.
      if (
        typeof path !== 'string' ||
        !/^\/apis?\/[^?#]*(\?[^#]*)?$/.test(path) ||
        /\.\.|%2e|%2f|\\/i.test(path.split('?')[0]) ||
        /[?&](watch|follow|limit|continue)=/i.test(path) ||
        /\/(log|exec|attach|portforward|proxy|eviction)(\/|\?|$)/.test(path)
      ) {
        throw new InputError(
          `reads[${i}].path must be a Kubernetes API list path such as /api/v1/services`,
        );
      }
      if (
        kind !== undefined &&
        (typeof kind !== 'string' || !/^[A-Za-z]*$/.test(kind))
      )
        throw new InputError(
          `reads[${i}].kind must be a Kubernetes kind such as Service`,
        );
      const page = (r as Read).page;
      if (
        page !== undefined &&
        (typeof page !== 'object' ||
          page === null ||
          (page.continue !== undefined &&
            (typeof page.continue !== 'string' || page.continue.length > 4096)))
      )
        throw new InputError(
          `reads[${i}].page must be {} or { continue: <the token of the page before> }`,
        );
      const pageSize = (r as Read).pageSize;
      if (
        pageSize !== undefined &&
        (!Number.isInteger(pageSize) ||
          pageSize < 1 ||
          pageSize > MAX_PAGE_SIZE)
      )
        throw new InputError(
          `reads[${i}].pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
        );
      return {
        path,
        kind: (kind as string | undefined) ?? '',
        metadataOnly: (r as Read).metadataOnly === true,
        trim: (r as Read).trim === true,
        ...(pageSize !== undefined ? { pageSize } : {}),
        ...(page ? { page: { continue: page.continue } } : {}),
      };
    }),
  };
}

/** What `POST …/watch` takes: one read's path, the version to watch from, the stream's length. */
function watchOf(body: unknown): {
  cluster: string;
  read: Read;
  resourceVersion: string;
  timeoutSeconds: number;
} {
  const { resourceVersion, timeoutSeconds, path, kind } = (body ?? {}) as {
    resourceVersion?: unknown;
    timeoutSeconds?: unknown;
    path?: unknown;
    kind?: unknown;
  };
  const { cluster, reads } = readsOf({
    cluster: (body as { cluster?: unknown } | undefined)?.cluster,
    reads: [{ path, kind }],
  });
  if (
    typeof resourceVersion !== 'string' ||
    !/^[0-9A-Za-z._-]{1,64}$/.test(resourceVersion)
  )
    throw new InputError(
      'resourceVersion must be the resourceVersion of a list or an object',
    );
  if (
    typeof timeoutSeconds !== 'number' ||
    !Number.isInteger(timeoutSeconds) ||
    timeoutSeconds < 1 ||
    timeoutSeconds > 3600
  )
    throw new InputError(
      'timeoutSeconds must be a whole number from 1 to 3600',
    );
  return { cluster, read: reads[0], resourceVersion, timeoutSeconds };
}

/** Each page has this long; a stuck API server must not hold the request forever. */
const PAGE_TIMEOUT_MS = 30_000;
/** Pages fetched ahead at most, over all callers: each is one page's bytes at most. */
const PREFETCH_PAGES = 8;

/** Reads one list in full, answered in the protocol's terms. */
async function readOne(
  cluster: ClusterDetails,
  pages: ReturnType<typeof httpsPages>,
  read: Read,
  limits: ReadLimits,
  ahead: { prefetch: PagePrefetch; reader: string },
): Promise<ListsResult> {
  const base = new URL(cluster.url);
  const url = new URL(cluster.url.replace(/\/$/, '') + read.path);
  // Belt and braces: whatever the path, the request stays on the cluster's API.
  const prefix = base.pathname.replace(/\/$/, '');
  if (
    url.origin !== base.origin ||
    !/^\/apis?\//.test(url.pathname.slice(prefix.length)) ||
    !url.pathname.startsWith(prefix)
  ) {
    return {
      status: 400,
      error: `${read.path} is not a path of the cluster's API`,
    };
  }
  if (read.page) return readPage(pages, read, limits, ahead);
  // The live model keeps only what the engine reads: trimmed here, page by page, it never
  // holds a large list whole, nor sends it.
  const outcome = await readList(read as ClusterRead, pages, {
    ...limits,
    ...(read.pageSize ? { pageSize: read.pageSize } : {}),
    ...(read.trim ? { transform: trimForModel } : {}),
  });
  if ('objects' in outcome)
    return {
      status: 200,
      pages: outcome.pages,
      // Items as the API server sent them, with their kind put back when the read named it.
      body: {
        kind: 'List',
        apiVersion: 'v1',
        metadata: outcome.resourceVersion
          ? { resourceVersion: outcome.resourceVersion }
          : {},
        items: read.kind
          ? outcome.objects
          : outcome.objects.map(({ kind, ...o }) =>
              kind ? { kind, ...o } : o,
            ),
      },
    };
  return failure(outcome.error);
}

/** One page of a read, for a caller that pages (the live model: it never holds a list whole). */
async function readPage(
  pages: ReturnType<typeof httpsPages>,
  read: Read,
  limits: ReadLimits,
  ahead: { prefetch: PagePrefetch; reader: string },
): Promise<ListsResult> {
  const pageSize = read.pageSize ?? limits.pageSize;
  const fetchPage = (token: string | undefined) => () =>
    pages(pagePath(read.path, pageSize, token), read as ClusterRead, {
      maxBytes: limits.maxBytes,
    });
  const keyOf = (token: string | undefined) =>
    [
      ahead.reader,
      read.kind,
      read.metadataOnly ? 'metadata' : 'full',
      pagePath(read.path, pageSize, token),
    ].join('\n');
  let answer: PageAnswer;
  try {
    const early = ahead.prefetch.take(keyOf(read.page?.continue));
    // A page fetched ahead that failed is asked again: the failure was a moment ago.
    answer = early
      ? await early.catch(fetchPage(read.page?.continue))
      : await fetchPage(read.page?.continue)();
  } catch (e) {
    return failure(
      e instanceof ReadError
        ? e
        : new ReadError(read.path, 'unreachable', String(e)),
    );
  }
  const page = pageOfText(read as ClusterRead, answer);
  if ('error' in page) return failure(page.error);
  if (page.continueToken)
    ahead.prefetch.ahead(
      keyOf(page.continueToken),
      fetchPage(page.continueToken),
    );
  return {
    status: 200,
    pages: 1,
    body: {
      kind: 'List',
      apiVersion: 'v1',
      metadata: {
        ...(page.continueToken ? { continue: page.continueToken } : {}),
        ...(page.resourceVersion
          ? { resourceVersion: page.resourceVersion }
          : {}),
      },
      items: read.trim ? page.objects.map(trimForModel) : page.objects,
    },
  };
}

/** A failed read in the protocol's terms: the API server's status and message, or the problem. */
function failure(e: ReadError): ListsResult {
  if (e.problem === 'status' && e.status)
    return {
      status: e.status,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: e.status,
        message: e.detail,
      },
    };
  return { status: e.status ?? 0, error: e.detail, problem: e.problem };
}

export function createListsRouter(deps: {
  defaultRouter: express.Router;
  clusterSupplier: KubernetesClustersSupplier;
  authStrategyMap: Record<string, AuthenticationStrategy>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  limits: ReadLimits;
  /** Where the module runs, for the in-cluster path (tests pass their own). */
  environment?: InClusterEnvironment;
}): express.Router {
  const { clusterSupplier, authStrategyMap, httpAuth, permissions, limits } =
    deps;
  const environment = deps.environment ?? podEnvironment;
  const agentFor = agentCache();
  // Pages fetched ahead for callers that page: a few reads' next pages at once.
  const prefetch = pagePrefetch({
    maxPages: PREFETCH_PAGES,
    keepMs: PAGE_TIMEOUT_MS,
  });
  const router = Router();

  /** The cluster and how to reach it with the request's credential (a client-side token wins). */
  async function connect(
    req: express.Request,
    credentials: Awaited<ReturnType<HttpAuthService['credentials']>>,
    name: string,
  ) {
    const cluster = (await clusterSupplier.getClusters({ credentials })).find(
      c => c.name === name,
    );
    if (!cluster) throw new NotFoundError(`Cluster ${name} not found`);

    // A client-side token (from the frontend's Kubernetes auth providers) wins, as in the proxy.
    const clientToken = req.header(AUTH_HEADER);
    let credential: KubernetesCredential;
    if (clientToken) {
      credential = {
        type: 'bearer token',
        token: clientToken.replace(/^Bearer\s+/i, ''),
      };
    } else {
      const strategy = authStrategyMap[cluster.authMetadata[AUTH_PROVIDER]];
      if (!strategy)
        throw new InputError(
          `cluster ${name}: authProvider "${cluster.authMetadata[AUTH_PROVIDER]}" has no AuthenticationStrategy`,
        );
      credential = await strategy.getCredential(cluster, {});
    }
    const api = apiServerOfKubeConfig(
      await kubeConfigOf(cluster, credential, environment),
      agentFor(cluster, credential),
    );
    return { cluster, api, reader: readerKey(cluster, credential) };
  }

  /** The Kubernetes backend's proxy permissions, for every route of the module. */
  async function authorize(
    credentials: Awaited<ReturnType<HttpAuthService['credentials']>>,
  ) {
    const decisions = await permissions.authorize(
      [
        { permission: kubernetesProxyPermission },
        { permission: kubernetesResourcesReadPermission },
      ],
      { credentials },
    );
    if (decisions.some(d => d.result !== AuthorizeResult.ALLOW))
      throw new NotAllowedError('Unauthorized');
  }

  // Traffic Path asks this (through discovery) to learn that the module is installed and
  // what it takes, instead of guessing from the errors of other routes.
  router.get(CAPABILITIES_ROUTE, async (req, res) => {
    await httpAuth.credentials(req);
    const lists: ListsCapability = {
      version: LISTS_VERSION,
      maxReads: MAX_READS,
      pageSize: limits.pageSize,
      maxBytes: limits.maxBytes,
      watch: true,
    };
    res.json({ lists });
  });

  router.post(
    LISTS_ROUTE,
    express.json({ limit: '64kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      await authorize(credentials);
      const { cluster: name, reads } = readsOf(req.body);
      const { cluster, api, reader } = await connect(req, credentials, name);
      const pages = httpsPages(api, PAGE_TIMEOUT_MS);
      const results = await Promise.all(
        reads.map(read =>
          readOne(cluster, pages, read, limits, { prefetch, reader }),
        ),
      );
      // Written as it is: express's res.json would also copy it into a buffer to hash an
      // ETag, which no caller of a POST uses, for every page of a large list.
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ results }));
    },
  );

  // One watch of a list path, streamed as the API server sends it (newline-delimited
  // events): Traffic Path's live model watches through this with the cluster's
  // credentials, as it lists through the lists route.
  router.post(
    WATCH_ROUTE,
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      await authorize(credentials);
      const {
        cluster: name,
        read,
        resourceVersion,
        timeoutSeconds,
      } = watchOf(req.body);
      // The connection's address: the in-cluster one when the lists route reads there too.
      const { api } = await connect(req, credentials, name);
      const upstream = await openWatchStream(api, read.path, {
        resourceVersion,
        timeoutSeconds,
        openTimeoutMs: PAGE_TIMEOUT_MS,
      }).catch(e => {
        throw new ServiceUnavailableError(
          `cluster ${name}: the watch of ${read.path} did not open: ${
            e instanceof ReadError ? e.detail : (e as Error).message
          }`,
        );
      });
      // The API server's status (a 403, a 410) and body go back as they are.
      res.status(upstream.statusCode ?? 502);
      res.setHeader('Content-Type', 'application/json');
      // A compressing middleware would hold events back: this stream is not to be transformed.
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.flushHeaders();
      res.on('close', () => upstream.destroy());
      upstream.on('error', () => res.destroy());
      upstream.pipe(res);
    },
  );

  router.use(deps.defaultRouter);
  return router;
}
