/*
 * The batch-read route. It reads only: GET on `/api/…` and `/apis/…` list
 * paths, never watch, never another host, and asks the same permissions as
 * the Kubernetes backend's proxy.
 */
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
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
import { acceptHeader } from '@internal/plugin-traffic-path-common';
import express from 'express';
import Router from 'express-promise-router';

export const MAX_READS = 20;
const AUTH_HEADER = 'backstage-kubernetes-authorization';
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';

type Read = { path: string; metadataOnly?: boolean };
export type ReadResult = { status: number; body?: unknown; error?: string };

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
      const path = (r as Read)?.path;
      // Relative API paths of lists only: no host, no traversal (also encoded), no watch or
      // streaming, no subresource that reaches into pods or Services.
      if (
        typeof path !== 'string' ||
        !/^\/apis?\/[^?#]*(\?[^#]*)?$/.test(path) ||
        /\.\.|%2e|%2f|\\/i.test(path.split('?')[0]) ||
        /[?&](watch|follow)=/i.test(path) ||
        /\/(log|exec|attach|portforward|proxy|eviction)(\/|\?|$)/.test(path)
      ) {
        throw new InputError(
          `reads[${i}].path must be a Kubernetes API list path such as /api/v1/services`,
        );
      }
      return { path, metadataOnly: (r as Read).metadataOnly === true };
    }),
  };
}

function caOf(cluster: ClusterDetails): Buffer | undefined {
  if (cluster.caData) return Buffer.from(cluster.caData, 'base64');
  return cluster.caFile ? readFileSync(cluster.caFile) : undefined;
}

/** One kept-alive agent per cluster and TLS identity. */
function agentCache() {
  const agents = new Map<string, Agent>();
  return (cluster: ClusterDetails, credential: KubernetesCredential): Agent => {
    const key = `${cluster.name}|${cluster.url}|${
      credential.type === 'x509 client certificate' ? credential.cert : ''
    }`;
    let agent = agents.get(key);
    if (!agent) {
      agent = new Agent({
        keepAlive: true,
        maxSockets: 32,
        ca: caOf(cluster),
        rejectUnauthorized: !cluster.skipTLSVerify,
        ...(credential.type === 'x509 client certificate'
          ? { cert: credential.cert, key: credential.key }
          : {}),
      });
      agents.set(key, agent);
    }
    return agent;
  };
}

/** Each read has this long; a stuck API server must not hold the request forever. */
const READ_TIMEOUT_MS = 30_000;

function get(
  cluster: ClusterDetails,
  agent: Agent,
  credential: KubernetesCredential,
  read: Read,
): Promise<ReadResult> {
  const base = new URL(cluster.url);
  const url = new URL(cluster.url.replace(/\/$/, '') + read.path);
  // Belt and braces: whatever the path, the request stays on the cluster's API.
  const prefix = base.pathname.replace(/\/$/, '');
  if (
    url.origin !== base.origin ||
    !/^\/apis?\//.test(url.pathname.slice(prefix.length)) ||
    !url.pathname.startsWith(prefix)
  ) {
    return Promise.resolve({
      status: 400,
      error: `${read.path} is not a path of the cluster's API`,
    });
  }
  const headers: Record<string, string> = {
    Accept: acceptHeader({
      path: read.path,
      kind: '',
      metadataOnly: read.metadataOnly,
    }),
  };
  if (credential.type === 'bearer token')
    headers.Authorization = `Bearer ${credential.token}`;
  return new Promise(resolve => {
    const req = (url.protocol === 'http:' ? httpRequest : request)(
      url,
      {
        method: 'GET',
        headers,
        ...(url.protocol === 'http:' ? {} : { agent }),
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            resolve({
              status: res.statusCode ?? 0,
              error: `the API server answered with a body that is not JSON (HTTP ${res.statusCode})`,
            });
          }
        });
        res.on('error', e => resolve({ status: 0, error: e.message }));
      },
    );
    req.setTimeout(READ_TIMEOUT_MS, () =>
      req.destroy(new Error(`no answer within ${READ_TIMEOUT_MS / 1000} s`)),
    );
    req.on('error', e => resolve({ status: 0, error: e.message }));
    req.end();
  });
}

export function createListsRouter(deps: {
  defaultRouter: express.Router;
  clusterSupplier: KubernetesClustersSupplier;
  authStrategyMap: Record<string, AuthenticationStrategy>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
}): express.Router {
  const { clusterSupplier, authStrategyMap, httpAuth, permissions } = deps;
  const agentFor = agentCache();
  const router = Router();

  router.post(
    '/traffic-path/v1/lists',
    express.json({ limit: '64kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const decisions = await permissions.authorize(
        [
          { permission: kubernetesProxyPermission },
          { permission: kubernetesResourcesReadPermission },
        ],
        { credentials },
      );
      if (decisions.some(d => d.result !== AuthorizeResult.ALLOW))
        throw new NotAllowedError('Unauthorized');
      const { cluster: name, reads } = readsOf(req.body);
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
      const agent = agentFor(cluster, credential);
      const results = await Promise.all(
        reads.map(read => get(cluster, agent, credential, read)),
      );
      res.json({ results });
    },
  );

  router.use(deps.defaultRouter);
  return router;
}
