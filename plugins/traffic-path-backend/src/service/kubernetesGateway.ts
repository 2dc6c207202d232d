/*
 * The Kubernetes backend as Traffic Path reads clusters through it: its
 * cluster list (its cluster locators), and either the batch-read route of
 * the Traffic Path Kubernetes module (one request per cluster and round,
 * kept-alive connections) or, without that module, its proxy (one request
 * per list). Both use its auth strategies, server-side or the client-side
 * token the frontend passes on. Calls are made on behalf of the user, so
 * the Kubernetes plugin's permissions apply to the user.
 */
import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  acceptHeader,
  ClusterRead,
  KubeObject,
  listedObjects,
  statusMessage,
} from '@internal/plugin-traffic-path-common';

export type ClusterInfo = {
  name: string;
  authProvider?: string;
  oidcTokenProvider?: string;
};

/** A failed call to a cluster, with what the user needs to know. */
export class ClusterCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly badBody = false,
  ) {
    super(message);
    this.name = 'ClusterCallError';
  }
}

export type CallOptions = {
  credentials: BackstageCredentials;
  clientToken?: string;
  signal?: AbortSignal;
};

/** Per read: its objects, or why it failed. */
export type ReadOutcome =
  | { objects: KubeObject[] }
  | { error: ClusterCallError };

export type KubernetesGateway = {
  clusters(credentials: BackstageCredentials): Promise<ClusterInfo[]>;
  /** Reads several API list paths of one cluster; a read that fails does not fail the others. */
  readMany(
    cluster: string,
    reads: ClusterRead[],
    options: CallOptions,
  ): Promise<ReadOutcome[]>;
};

/** What the API server answered for one read, as the proxy or the batch route passes it on. */
function outcome(
  cluster: string,
  read: ClusterRead,
  status: number,
  body: unknown,
  notJson: boolean,
  rawText = '',
): ReadOutcome {
  const where = `cluster ${cluster} answered ${read.path}`;
  if (notJson) {
    if (status < 200 || status >= 300)
      return {
        error: new ClusterCallError(
          `${where} with ${status}: ${rawText.slice(0, 200) || 'no body'}`,
          status,
        ),
      };
    return {
      error: new ClusterCallError(
        `${where} with a body that is not JSON (HTTP ${status})`,
        status,
        true,
      ),
    };
  }
  if (status < 200 || status >= 300)
    return {
      error: new ClusterCallError(
        `${where} with ${status}: ${statusMessage(body) ?? 'no message'}`,
        status,
      ),
    };
  const objects = listedObjects(read, body);
  if (!objects)
    return {
      error: new ClusterCallError(
        `${where} with something that is not a list`,
        status,
        true,
      ),
    };
  return { objects };
}

const BATCH_ROUTE = '/traffic-path/v1/lists';
const MAX_BATCH = 20;

export function createKubernetesGateway(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
  logger?: LoggerService;
}): KubernetesGateway {
  const { discovery, auth } = deps;
  // Unknown until the first batch request: then the module is there or not.
  let batchRoute: boolean | undefined;

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

  async function throughProxy(
    cluster: string,
    read: ClusterRead,
    options: CallOptions,
    token: string,
  ): Promise<ReadOutcome> {
    const base = await discovery.getBaseUrl('kubernetes');
    const res = await fetch(`${base}/proxy${read.path}`, {
      signal: options.signal,
      headers: {
        Authorization: token,
        'Backstage-Kubernetes-Cluster': cluster,
        ...clientHeader(options.clientToken),
        Accept: acceptHeader(read),
      },
    });
    const text = await res.text();
    try {
      return outcome(cluster, read, res.status, JSON.parse(text), false);
    } catch {
      return outcome(cluster, read, res.status, undefined, true, text);
    }
  }

  /** One batch request; undefined when the Kubernetes backend has no batch route. */
  async function throughBatch(
    cluster: string,
    reads: ClusterRead[],
    options: CallOptions,
    token: string,
  ): Promise<ReadOutcome[] | undefined> {
    const base = await discovery.getBaseUrl('kubernetes');
    const res = await fetch(`${base}${BATCH_ROUTE}`, {
      method: 'POST',
      signal: options.signal,
      headers: {
        Authorization: token,
        'Content-Type': 'application/json',
        ...clientHeader(options.clientToken),
      },
      body: JSON.stringify({
        cluster,
        reads: reads.map(r => ({
          path: r.path,
          metadataOnly: r.metadataOnly === true,
        })),
      }),
    });
    const text = await res.text();
    if (res.status === 404 && !text.includes(`Cluster ${cluster} not found`))
      return undefined;
    let body: {
      results?: { status: number; body?: unknown; error?: string }[];
      error?: { message?: string };
    };
    try {
      body = JSON.parse(text);
    } catch {
      throw new ClusterCallError(
        `the Kubernetes backend answered the reads of cluster ${cluster} with HTTP ${res.status} and a body that is not JSON`,
        res.status,
      );
    }
    if (!res.ok || !Array.isArray(body.results)) {
      throw new ClusterCallError(
        `the Kubernetes backend refused the reads of cluster ${cluster}: ${
          res.status
        } ${body.error?.message ?? ''}`.trim(),
        res.status,
      );
    }
    return body.results.map((r, i) => {
      // Status 0: the API server could not be reached at all.
      if (r.status === 0)
        return {
          error: new ClusterCallError(
            `cluster ${cluster} could not be reached for ${reads[i].path}: ${r.error}`,
            503,
          ),
        };
      if (r.error !== undefined)
        return outcome(cluster, reads[i], r.status, undefined, true, r.error);
      return outcome(cluster, reads[i], r.status, r.body, false);
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
      const body = (await res.json()) as { items?: ClusterInfo[] };
      return (body.items ?? []).map(c => ({
        name: c.name,
        authProvider: c.authProvider,
        oidcTokenProvider: c.oidcTokenProvider,
      }));
    },

    async readMany(cluster, reads, options) {
      const token = await authorization(options.credentials);
      if (batchRoute !== false) {
        const chunks: ClusterRead[][] = [];
        for (let i = 0; i < reads.length; i += MAX_BATCH)
          chunks.push(reads.slice(i, i + MAX_BATCH));
        const answers = await Promise.all(
          chunks.map(chunk => throughBatch(cluster, chunk, options, token)),
        );
        if (answers.every(a => a !== undefined)) {
          batchRoute = true;
          return answers.flat() as ReadOutcome[];
        }
        batchRoute = false;
        deps.logger?.info(
          'The Kubernetes backend has no Traffic Path module: reading clusters through its proxy, one request per list',
        );
      }
      return Promise.all(
        reads.map(read => throughProxy(cluster, read, options, token)),
      );
    },
  };
}
