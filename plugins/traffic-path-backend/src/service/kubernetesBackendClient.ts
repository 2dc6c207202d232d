/*
 * A client of the Kubernetes backend, as Traffic Path reads clusters
 * through it: its cluster list (its cluster locators), and lists of a
 * cluster either through the Traffic Path module's lists route (one request
 * per cluster and round, kept-alive connections) or, without that module,
 * through its proxy (one request per page). Both use its auth strategies,
 * server-side or the client-side token the frontend passes on, and both
 * read answers with the shared reader (`@internal/plugin-traffic-path-node`).
 * Calls are made on behalf of the user, so the Kubernetes plugin's
 * permissions apply to the user.
 */
import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  ClusterErrorReason,
  ClusterRead,
  KubeObject,
} from '@internal/plugin-traffic-path-common';
import {
  boundedText,
  fetchPages,
  ListsRead,
  ListsResult,
  LISTS_ROUTE,
  PageAnswer,
  pageOfBody,
  ReadError,
  ReadLimits,
  readList,
  ReadOutcome,
  routeWatch,
  WATCH_ROUTE,
  WatchEvent,
  WatchOptions,
} from '@internal/plugin-traffic-path-node';
import { ModuleDetector } from './moduleDetector';

export type ClusterInfo = {
  name: string;
  authProvider?: string;
  oidcTokenProvider?: string;
};

/** The Kubernetes backend failed a request about a whole cluster (not one list of it). */
export class ClusterCallError extends Error {
  constructor(
    message: string,
    readonly reason: ClusterErrorReason,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClusterCallError';
  }
}

export type ReadOptions = {
  credentials: BackstageCredentials;
  clientToken?: string;
  signal?: AbortSignal;
  /** Ask the module to keep only what the live model keeps (smaller answers; the proxy path cannot). */
  trim?: boolean;
  /** Items per page asked of the module for these reads, instead of its setting. */
  pageSize?: number;
};

export type KubernetesBackendClient = {
  clusters(credentials: BackstageCredentials): Promise<ClusterInfo[]>;
  /**
   * One page of a read through the module (`page` in the lists protocol), as
   * the API server answered it: the caller pages with `readList`, so no side
   * holds a long list whole. Throws a `ReadError` without an answer (no
   * module, no connection).
   */
  modulePage?(
    cluster: string,
    read: ClusterRead,
    continueToken: string | undefined,
    options: ReadOptions,
  ): Promise<PageAnswer>;
  /**
   * One watch of a read through the module's watch route, with the given
   * (server-side) credentials: its events until the stream ends. Throws a
   * `ReadError` as `routeWatch` does.
   */
  moduleWatch?(
    cluster: string,
    read: ClusterRead,
    options: WatchOptions,
    credentials: BackstageCredentials,
  ): AsyncIterable<WatchEvent>;
  /** Reads several lists of one cluster; a read that fails does not fail the others. */
  readMany(
    cluster: string,
    reads: ClusterRead[],
    options: ReadOptions,
  ): Promise<ReadOutcome<KubeObject>[]>;
};

const CLUSTER_LIST_BYTES = 8 * 1024 * 1024;

const reasonOfStatus = (status: number): ClusterErrorReason => {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  return status >= 500 ? 'unreachable' : 'error';
};

/**
 * An answer of a module route that may mean the module has gone (404: no such
 * route; 5xx: the Kubernetes backend failing, or being replaced): what was
 * learnt of it is forgotten, and its capabilities are asked for again.
 */
export const mayMeanNoModule = (status?: number): boolean =>
  status !== undefined && (status === 404 || status >= 500);

export function createKubernetesBackendClient(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
  module: ModuleDetector;
  limits: ReadLimits;
}): KubernetesBackendClient {
  const { discovery, auth, limits } = deps;

  const authorization = async (credentials: BackstageCredentials) => {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'kubernetes',
    });
    return `Bearer ${token}`;
  };
  const clientHeader = (clientToken?: string): Record<string, string> =>
    clientToken
      ? { 'Backstage-Kubernetes-Authorization': `Bearer ${clientToken}` }
      : {};

  function throughProxy(
    base: string,
    cluster: string,
    reads: ClusterRead[],
    options: ReadOptions,
    token: string,
  ): Promise<ReadOutcome<KubeObject>[]> {
    const pages = fetchPages(`${base}/proxy`, {
      Authorization: token,
      'Backstage-Kubernetes-Cluster': cluster,
      ...clientHeader(options.clientToken),
    });
    return Promise.all(
      reads.map(read =>
        readList(read, pages, { ...limits, signal: options.signal }),
      ),
    );
  }

  /** One request to the module for up to its `maxReads` reads; undefined when the module has gone. */
  async function throughModule(
    base: string,
    cluster: string,
    reads: ClusterRead[],
    options: ReadOptions,
    token: string,
  ): Promise<ReadOutcome<KubeObject>[] | undefined> {
    let res: Response;
    try {
      res = await fetch(`${base}${LISTS_ROUTE}`, {
        method: 'POST',
        signal: options.signal,
        headers: {
          Authorization: token,
          'Content-Type': 'application/json',
          ...clientHeader(options.clientToken),
        },
        body: JSON.stringify({
          cluster,
          reads: reads.map(
            (r): ListsRead => ({
              path: r.path,
              kind: r.kind,
              metadataOnly: r.metadataOnly === true,
              ...(options.trim ? { trim: true } : {}),
              ...(options.pageSize ? { pageSize: options.pageSize } : {}),
            }),
          ),
        }),
      });
    } catch (e) {
      deps.module.forget();
      throw new ClusterCallError(
        `the Kubernetes backend did not answer the reads of cluster ${cluster}: ${
          (e as Error).message
        }`,
        options.signal?.aborted ? 'timeout' : 'unreachable',
      );
    }
    if (res.status === 404) {
      // The module has gone, or the Kubernetes backend does not know the cluster: the
      // module's capabilities tell which, not the error's text.
      deps.module.forget();
      if (!(await deps.module.lists())) return undefined;
      throw new ClusterCallError(
        `the Kubernetes backend has no cluster ${cluster}`,
        'error',
        404,
      );
    }
    let text: string;
    let body: { results?: ListsResult[]; error?: { message?: string } };
    try {
      // Each read is bounded by the module; the whole answer by all of them.
      text = res.body
        ? await boundedText(
            res.body,
            limits.maxBytes * reads.length,
            LISTS_ROUTE,
          )
        : '';
      body = JSON.parse(text);
    } catch (e) {
      if (!res.ok) deps.module.forget();
      throw new ClusterCallError(
        e instanceof ReadError
          ? `the Kubernetes backend answered the reads of cluster ${cluster} with more than the bound of ${reads.length} reads`
          : `the Kubernetes backend answered the reads of cluster ${cluster} with HTTP ${res.status} and a body that is not JSON`,
        'bad-response',
        res.status,
      );
    }
    if (!res.ok || !Array.isArray(body.results)) {
      if (mayMeanNoModule(res.status)) deps.module.forget();
      throw new ClusterCallError(
        `the Kubernetes backend refused the reads of cluster ${cluster}: ${
          res.status
        } ${body.error?.message ?? ''}`.trim(),
        res.ok ? 'bad-response' : reasonOfStatus(res.status),
        res.status,
      );
    }
    return body.results.map((r, i): ReadOutcome<KubeObject> => {
      const read = reads[i];
      if (r.problem || r.status === 0)
        return {
          error: new ReadError(
            read.path,
            r.problem ?? 'unreachable',
            r.error ?? 'no answer',
            r.status || undefined,
          ),
        };
      const page = pageOfBody(read, r.status, r.body, r.error);
      if ('error' in page) return page;
      return {
        objects: page.objects,
        pages: r.pages ?? 1,
        ...(page.resourceVersion
          ? { resourceVersion: page.resourceVersion }
          : {}),
      };
    });
  }

  return {
    async clusters(credentials) {
      const base = await discovery.getBaseUrl('kubernetes');
      const res = await fetch(`${base}/clusters`, {
        headers: { Authorization: await authorization(credentials) },
      }).catch(e => {
        throw new ServiceUnavailableError(
          `the Kubernetes backend did not answer: ${e.message}`,
        );
      });
      if (res.status === 401 || res.status === 403)
        throw new NotAllowedError(
          `the Kubernetes backend refused to list clusters (${res.status})`,
        );
      if (!res.ok)
        throw new ServiceUnavailableError(
          `the Kubernetes backend could not list clusters (${res.status})`,
        );
      let body: { items?: ClusterInfo[] };
      try {
        // A cluster list is small; an answer beyond the bound is not one.
        body = JSON.parse(
          res.body
            ? await boundedText(res.body, CLUSTER_LIST_BYTES, '/clusters')
            : '{}',
        );
      } catch {
        throw new ServiceUnavailableError(
          'the Kubernetes backend answered the cluster list with something that is not one',
        );
      }
      return (body.items ?? []).map(c => ({
        name: c.name,
        authProvider: c.authProvider,
        oidcTokenProvider: c.oidcTokenProvider,
      }));
    },

    async modulePage(cluster, read, continueToken, options) {
      const token = await authorization(options.credentials);
      const base = await discovery.getBaseUrl('kubernetes');
      let res: Response;
      try {
        res = await fetch(`${base}${LISTS_ROUTE}`, {
          method: 'POST',
          signal: options.signal,
          headers: { Authorization: token, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            cluster,
            reads: [
              {
                path: read.path,
                kind: read.kind,
                metadataOnly: read.metadataOnly === true,
                ...(options.trim ? { trim: true } : {}),
                ...(options.pageSize ? { pageSize: options.pageSize } : {}),
                page: continueToken ? { continue: continueToken } : {},
              } satisfies ListsRead,
            ],
          }),
        });
      } catch (e) {
        if (!options.signal?.aborted) deps.module.forget();
        throw new ReadError(
          read.path,
          options.signal?.aborted ? 'timeout' : 'unreachable',
          `the Kubernetes backend did not answer: ${(e as Error).message}`,
        );
      }
      if (mayMeanNoModule(res.status)) deps.module.forget();
      const text = res.body
        ? await boundedText(res.body, limits.maxBytes, LISTS_ROUTE)
        : '';
      if (!res.ok) return { status: res.status, text };
      let result: ListsResult | undefined;
      try {
        result = (JSON.parse(text) as { results?: ListsResult[] }).results?.[0];
      } catch {
        result = undefined;
      }
      if (!result)
        throw new ReadError(
          read.path,
          'bad-body',
          'the Kubernetes backend answered a page with something that is not one',
        );
      if (result.problem || result.status === 0)
        throw new ReadError(
          read.path,
          result.problem ?? 'unreachable',
          result.error ?? 'no answer',
          result.status || undefined,
        );
      // Parsed already: readList takes the page as it is; the text (the module's whole
      // answer, about the page's size) still counts against the byte bound.
      return { status: result.status, text, body: result.body ?? {} };
    },

    async *moduleWatch(cluster, read, options, credentials) {
      const base = await discovery.getBaseUrl('kubernetes');
      const token = await authorization(credentials);
      try {
        yield* routeWatch(
          `${base}${WATCH_ROUTE}`,
          async () => ({ Authorization: token }),
          { cluster },
        )(read, options);
      } catch (e) {
        // Only the opening answers with a status: events and broken streams have none.
        if (e instanceof ReadError && mayMeanNoModule(e.status))
          deps.module.forget();
        throw e;
      }
    },

    async readMany(cluster, reads, options) {
      const token = await authorization(options.credentials);
      const base = await discovery.getBaseUrl('kubernetes');
      const lists = await deps.module.lists();
      if (lists) {
        const chunks: ClusterRead[][] = [];
        for (let i = 0; i < reads.length; i += lists.maxReads)
          chunks.push(reads.slice(i, i + lists.maxReads));
        const answers = await Promise.all(
          chunks.map(chunk =>
            throughModule(base, cluster, chunk, options, token),
          ),
        );
        if (answers.every(a => a !== undefined)) return answers.flat();
      }
      return throughProxy(base, cluster, reads, options, token);
    },
  };
}
