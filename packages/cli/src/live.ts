/*
 * Live mode: the same objects the portal reads, from a cluster named by a
 * kubeconfig (its context, its credentials: tokens, client certificates,
 * exec plugins), instead of from dump files.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import {
  acceptHeader,
  ClusterRead,
  clusterWideReads,
  KubeObject,
  listedObjects,
  loadObjects,
  LoadResult,
  namespaceReads,
  snapshotReads,
  statusMessage,
  uniqueObjects,
} from '@internal/plugin-traffic-path-common';

/** The cluster cannot be read as asked: exit code 2, like unusable files. */
export class LiveInputError extends Error {}

export type LiveOptions = {
  kubeconfig: string;
  context?: string;
  namespace?: string;
  timeoutMs?: number;
};

export type LiveResult = {
  load: LoadResult;
  warnings: string[];
  cluster: string;
};

function loadKubeConfig(options: LiveOptions): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(options.kubeconfig);
  } catch (e) {
    throw new LiveInputError(
      `cannot read kubeconfig ${options.kubeconfig}: ${(e as Error).message}`,
    );
  }
  if (options.context) {
    const names = kc.getContexts().map(c => c.name);
    if (!names.includes(options.context)) {
      throw new LiveInputError(
        `context "${options.context}" is not in ${
          options.kubeconfig
        } (it has: ${names.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster())
    throw new LiveInputError(
      `${options.kubeconfig} has no current context with a cluster: pass --context`,
    );
  return kc;
}

/** What to read: everything, or one namespace plus what lives cluster-wide (controllers, nodes). */
function readsFor(namespace: string | undefined): ClusterRead[] {
  if (namespace)
    return [
      ...clusterWideReads(),
      ...namespaceReads(namespace, { secrets: true }),
    ];
  return [
    ...snapshotReads({ secrets: true }),
    { path: '/api/v1/pods', kind: 'Pod', listed: 'Pod' },
  ];
}

class ReadError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

async function get(
  kc: KubeConfig,
  read: ClusterRead,
  timeoutMs: number,
): Promise<KubeObject[]> {
  const cluster = kc.getCurrentCluster()!;
  const url = new URL(cluster.server.replace(/\/$/, '') + read.path);
  const options: RequestOptions = {
    method: 'GET',
    headers: { Accept: acceptHeader(read) },
    timeout: timeoutMs,
  };
  await kc.applyToHTTPSOptions(options);
  const { status, body } = await new Promise<{ status: number; body: string }>(
    (resolve, reject) => {
      const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
        url,
        options,
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: text }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
      );
      req.on('error', reject);
      req.end();
    },
  ).catch(e => {
    throw new ReadError(`GET ${read.path}: ${(e as Error).message}`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ReadError(
      `GET ${read.path}: HTTP ${status}, a body that is not JSON`,
    );
  }
  const message = statusMessage(parsed);
  if (status < 200 || status >= 300)
    throw new ReadError(
      `GET ${read.path}: HTTP ${status}${message ? ` ${message}` : ''}`,
      status,
    );
  const objects = listedObjects(read, parsed);
  if (!objects)
    throw new ReadError(`GET ${read.path}: the answer is not a list`);
  return objects;
}

export async function readLiveCluster(
  options: LiveOptions,
): Promise<LiveResult> {
  const kc = loadKubeConfig(options);
  const cluster = kc.getCurrentCluster()!;
  const name = `${cluster.name} (${cluster.server})`;
  const reads = readsFor(options.namespace);
  const warnings: string[] = [];
  const results = await Promise.all(
    reads.map(async read => {
      try {
        return await get(kc, read, options.timeoutMs ?? 30_000);
      } catch (e) {
        if (!(e instanceof ReadError)) throw e;
        // A CRD the cluster does not have (Gateway API): none of its objects, no warning.
        if (read.absentOk && e.status === 404) return undefined;
        if (read.required)
          throw new LiveInputError(`cluster ${name}: ${e.message}`);
        warnings.push(
          `cluster ${name}: ${e.message} (checks that need it are skipped)`,
        );
        return undefined;
      }
    }),
  );
  const objects = uniqueObjects(results.flatMap(r => r ?? []));
  const load = loadObjects(objects, `cluster ${cluster.name}`);
  results.forEach(
    (r, i) => r && reads[i].listed && load.listedKinds.add(reads[i].listed!),
  );
  return { load, warnings, cluster: cluster.name };
}
