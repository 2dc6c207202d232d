/*
 * A read-only Kubernetes API server over a Store: discovery, list and get
 * (namespaced, cluster-scoped, across all namespaces), label and field
 * selectors, limit / continue, Status bodies for errors, a bearer-token
 * check, and injected latency and faults for tests and benchmarks.
 * Watch is not supported (it answers 405).
 */
import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { generate } from 'selfsigned';
import { AddressInfo } from 'node:net';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { groupVersion, Resource } from './resources';
import {
  fieldSelector,
  labelSelector,
  SelectorError,
} from '@internal/plugin-traffic-path-common';
import { buildStore, Collection, collectionKey, Store } from './store';

export type Fault = {
  /** A regular expression matched against the request path (without query). */
  path: string;
  /** Added latency, in ms. */
  delayMs?: number;
  /** Answer with this status (e.g. 500, 403) and a Status body. */
  status?: number;
  /** Never answer. */
  hang?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
};

export type DemoClusterOptions = {
  objects: KubeObject[];
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Latency added to every request, in ms. */
  latencyMs?: number;
  faults?: Fault[];
  /**
   * Serve plain HTTP instead of HTTPS. Real clients (kubectl, client-go)
   * never send bearer tokens over plain HTTP, so use it without a token only.
   */
  insecureHttp?: boolean;
};

export type RequestRecord = {
  method: string;
  path: string;
  query: string;
  status: number;
};

export type DemoCluster = {
  url: string;
  /** The self-signed certificate (PEM) of an HTTPS demo cluster, for clients to trust. */
  certificate?: string;
  /** Every request answered (or hung), in order: for tests that count API calls. */
  requests: RequestRecord[];
  setFaults(faults: Fault[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
};

function status(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): number {
  const body = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
  return code;
}

function json(res: ServerResponse, body: unknown): number {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
  return 200;
}

function discoveryResource(r: Resource) {
  return {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ['get', 'list'],
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
  };
}

type Route =
  | { type: 'version' | 'api' | 'apis' }
  | { type: 'resources'; group: string; version: string }
  | {
      type: 'objects';
      group: string;
      version: string;
      namespace?: string;
      plural: string;
      name?: string;
    };

/** Parses `/api/v1/...` and `/apis/<group>/<version>/...` paths. */
function route(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 1 && parts[0] === 'version') return { type: 'version' };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apis' };
    if (parts.length === 2) return undefined;
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return { type: 'resources', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return {
      type: 'objects',
      group,
      version,
      namespace: rest[1],
      plural: rest[2],
      name: rest[3],
    };
  }
  if (rest.length <= 2)
    return { type: 'objects', group, version, plural: rest[0], name: rest[1] };
  return undefined;
}

function groups(store: Store) {
  const byGroup = new Map<string, Set<string>>();
  for (const { resource } of store.collections.values()) {
    if (!resource.group) continue;
    const versions = byGroup.get(resource.group) ?? new Set();
    versions.add(resource.version);
    byGroup.set(resource.group, versions);
  }
  return [...byGroup.entries()].sort().map(([name, versions]) => {
    const groupVersions = [...versions].map(version => ({
      groupVersion: `${name}/${version}`,
      version,
    }));
    return {
      name,
      versions: groupVersions,
      preferredVersion: groupVersions[0],
    };
  });
}

function encodeContinue(offset: number, rv: string): string {
  return Buffer.from(JSON.stringify({ offset, rv })).toString('base64url');
}

function decodeContinue(token: string): number | undefined {
  try {
    const { offset } = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

function list(
  res: ServerResponse,
  store: Store,
  c: Collection,
  namespace: string | undefined,
  query: URLSearchParams,
): number {
  let matches: (o: KubeObject) => boolean;
  let fields: (o: KubeObject) => boolean;
  try {
    matches = labelSelector(query.get('labelSelector'));
    fields = fieldSelector(query.get('fieldSelector'));
  } catch (e) {
    if (e instanceof SelectorError)
      return status(res, 400, 'BadRequest', e.message);
    throw e;
  }
  const all = c.objects.filter(
    o =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      matches(o) &&
      fields(o),
  );
  let offset = 0;
  const token = query.get('continue');
  if (token) {
    const decoded = decodeContinue(token);
    if (decoded === undefined)
      return status(
        res,
        410,
        'Expired',
        'The provided continue parameter is too old or malformed; list again without it.',
      );
    offset = decoded;
  }
  const limit = Number(query.get('limit') ?? 0);
  const end = limit > 0 ? offset + limit : all.length;
  const items = all.slice(offset, end);
  const metadata: Record<string, unknown> = {
    resourceVersion: store.resourceVersion,
  };
  if (end < all.length) {
    metadata.continue = encodeContinue(end, store.resourceVersion);
    metadata.remainingItemCount = all.length - end;
  }
  return json(res, {
    kind: `${c.resource.kind}List`,
    apiVersion: groupVersion(c.resource),
    metadata,
    items,
  });
}

function handle(
  store: Store,
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): number {
  const url = new URL(req.url ?? '/', 'http://demo-cluster');
  if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
    return status(res, 401, 'Unauthorized', 'Unauthorized');
  }
  if (req.method !== 'GET') {
    return status(
      res,
      405,
      'MethodNotAllowed',
      `the demo cluster is read-only: ${req.method} is not supported`,
    );
  }
  if (
    url.searchParams.get('watch') === 'true' ||
    url.searchParams.get('watch') === '1'
  ) {
    return status(
      res,
      405,
      'MethodNotAllowed',
      'the demo cluster does not support watch',
    );
  }
  const r = route(url.pathname);
  if (!r)
    return status(
      res,
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  switch (r.type) {
    case 'version':
      return json(res, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-traffic-path-demo',
        platform: 'linux/amd64',
      });
    case 'api':
      return json(res, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host ?? '' },
        ],
      });
    case 'apis':
      return json(res, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups(store),
      });
    case 'resources': {
      const resources = [...store.collections.values()]
        .filter(
          c => c.resource.group === r.group && c.resource.version === r.version,
        )
        .map(c => discoveryResource(c.resource));
      if (resources.length === 0)
        return status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      return json(res, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: r.group ? `${r.group}/${r.version}` : r.version,
        resources,
      });
    }
    default: {
      const c = store.collections.get(
        collectionKey(r.group, r.version, r.plural),
      );
      if (!c)
        return status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      if (r.namespace !== undefined && !c.resource.namespaced)
        return status(
          res,
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      if (r.name === undefined)
        return list(res, store, c, r.namespace, url.searchParams);
      const found = c.objects.find(
        o =>
          o.metadata.name === r.name &&
          (!c.resource.namespaced || o.metadata.namespace === r.namespace),
      );
      if (!found) {
        const what = `${c.resource.plural}${
          c.resource.group ? `.${c.resource.group}` : ''
        }`;
        return status(res, 404, 'NotFound', `${what} "${r.name}" not found`, {
          name: r.name,
          ...(c.resource.group ? { group: c.resource.group } : {}),
          kind: c.resource.plural,
        });
      }
      return json(res, found);
    }
  }
}

/** A certificate for the demo cluster's address, made at start (nothing is downloaded or stored). */
function selfSignedCertificate(host: string) {
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  return generate(
    [{ name: 'commonName', value: 'traffic-path-demo-cluster' }],
    {
      days: 30,
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
            ...(ip && host !== '127.0.0.1' ? [{ type: 7, ip: host }] : []),
          ],
        },
      ],
    },
  );
}

export async function startDemoCluster(
  options: DemoClusterOptions,
  port = 0,
  host = '127.0.0.1',
): Promise<DemoCluster> {
  const store = buildStore(options.objects);
  let faults = options.faults ?? [];
  let latency = options.latencyMs ?? 0;
  const requests: RequestRecord[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const tls = options.insecureHttp ? undefined : selfSignedCertificate(host);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://demo-cluster');
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      status: 0,
    };
    requests.push(record);
    const fault = faults.find(f => new RegExp(f.path).test(url.pathname));
    const delay = latency + (fault?.delayMs ?? 0);
    const answer = () => {
      if (fault?.hang) return;
      if (fault?.status) {
        record.status = status(
          res,
          fault.status,
          fault.status === 403 ? 'Forbidden' : 'InternalError',
          fault.status === 403
            ? `forbidden: injected fault for ${url.pathname}`
            : `injected fault for ${url.pathname}`,
        );
        return;
      }
      if (fault?.malformed) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"kind": "PodList", "items": [ this is not JSON');
        record.status = 200;
        return;
      }
      try {
        record.status = handle(store, options.token, req, res);
      } catch (e) {
        record.status = status(
          res,
          500,
          'InternalError',
          `demo cluster error: ${String(e)}`,
        );
      }
    };
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  };
  const server: Server = tls
    ? createHttpsServer({ key: tls.private, cert: tls.cert }, handler)
    : createHttpServer(handler);
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    ...(tls ? { certificate: tls.cert } : {}),
    requests,
    setFaults: f => {
      faults = f;
    },
    setLatency: ms => {
      latency = ms;
    },
    close: () =>
      new Promise<void>(resolve => {
        // Hung requests keep their sockets open: end them so that close() returns.
        sockets.forEach(s => s.destroy());
        server.close(() => resolve());
      }),
  };
}
