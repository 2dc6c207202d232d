/*
 * A read-only Kubernetes API server over a Store: discovery, list, get and
 * watch (namespaced, cluster-scoped, across all namespaces), label and field
 * selectors, limit / continue, resourceVersion, Status bodies for errors, a
 * bearer-token check, injected latency and faults for tests and benchmarks,
 * and a request counter. Its objects change through the Store's apply,
 * remove and replace (files.ts calls replace when scenario files change).
 */
import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import { AddressInfo } from 'node:net';
import {
  fieldSelector,
  KubeObject,
  labelSelector,
  SelectorError,
} from '@internal/plugin-traffic-path-common';
import { CONTROL_PREFIX, handleControl } from './control';
import { RequestCounter } from './counter';
import { FaultPlan } from './faults';
import { groupVersion, Resource } from './resources';
import { json, reasonFor, status } from './responses';
import {
  Change,
  ChangeType,
  Collection,
  collectionKey,
  ObjectReference,
  Store,
} from './store';
import { isWatch, serveWatch, WatchEventType } from './watch';

export type Fault = {
  /** A regular expression matched against the request path (without query). */
  path: string;
  /** Added latency, in ms. */
  delayMs?: number;
  /** Answer with this status (e.g. 500, 403) and a Status body. */
  status?: number;
  /** Never answer. */
  hang?: boolean;
  /** Answer 200 with a body that is not JSON (a watch: one line that is not JSON). */
  malformed?: boolean;
  /**
   * Which requests the fault applies to: true only watches, false all but
   * watches; unset, all of them (but faults with a watch-only key below apply
   * to watches only).
   */
  watch?: boolean;
  /** Watch only: cut the connection after this many events. */
  dropAfterEvents?: number;
  /** Watch only: open the watch and then send nothing, ever. */
  stall?: boolean;
  /** Watch only: open the watch and send an ERROR event with a 410 Expired Status. */
  expire?: boolean;
  /** Apply to this many matching requests only (unset: to all). */
  times?: number;
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
  /**
   * The resourceVersion of the first object (default 1000): give a restarted
   * demo cluster one above the former's last, so that its clients get 410
   * and list again, as after a real API server's restart.
   */
  firstResourceVersion?: number;
  /** The key and certificate to serve with (default: made at start, see demoClusterCertificate). */
  certificate?: DemoClusterCertificate;
  /** Changes kept for watches that resume from a resourceVersion (default 10,000); older versions get 410. */
  watchHistory?: number;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK, in ms (default 60,000). */
  bookmarkIntervalMs?: number;
  /** A watch without timeoutSeconds ends after 1–2 times this, as with the API server's flag (default 1800). */
  minRequestTimeoutSeconds?: number;
  /**
   * Accept changes, faults and latency over HTTP (POST /demo-cluster/apply,
   * remove, replace, faults, latency, end-watches), for a demo cluster in
   * another process. Off by default: the API itself stays read-only.
   */
  controlEndpoints?: boolean;
  /** Changes that may wait for a watch client that does not read before its watch is ended (default 100,000). */
  maxWatchBacklog?: number;
};

export type RequestRecord = {
  method: string;
  path: string;
  query: string;
  /** The Kubernetes verb: get, list or watch (the method, lowercased, for anything but GET). */
  verb: string;
  /** For a watch, 200 once it is open (its events are counted in requestCounts). */
  status: number;
};

export type RequestCounts = {
  /** Requests received, watches included (the debug endpoint itself is not counted). */
  total: number;
  /** `list` → n, `watch` → n, … */
  byVerb: Record<string, number>;
  /** `list /api/v1/pods` → n, `watch /api/v1/namespaces/app/pods` → n, … */
  byVerbAndPath: Record<string, number>;
  /** Watches open now. */
  openWatches: number;
  /** Events written to watches, by type. */
  watchEvents: Record<string, number>;
};

/** One change the store made, in the words of a watch event. */
export type ChangeSummary = {
  type: ChangeType;
  kind: string;
  namespace?: string;
  name: string;
  resourceVersion: string;
};

export type DemoCluster = {
  url: string;
  /** The self-signed certificate (PEM) of an HTTPS demo cluster, for clients to trust. */
  certificate?: string;
  /** Every request answered (or hung), in order: for tests that count API calls. */
  requests: RequestRecord[];
  /** Counts of the requests so far (also served, outside the Kubernetes API, at GET /demo-cluster/requests). */
  requestCounts(): RequestCounts;
  /** The cluster's current resourceVersion. */
  resourceVersion(): string;
  /** Creates or updates objects, as `kubectl apply` would; watches see ADDED / MODIFIED. */
  apply(objects: KubeObject[]): ChangeSummary[];
  /** Deletes objects (an error for one that does not exist); watches see DELETED. */
  remove(refs: ObjectReference[]): ChangeSummary[];
  /** Makes the cluster hold exactly these objects, emitting only the differences. */
  replace(objects: KubeObject[]): ChangeSummary[];
  /**
   * Ends every open watch now: `end` as a watch timeout does (clients watch
   * again from their last resourceVersion), `drop` by cutting the connection.
   * Returns how many were open.
   */
  endWatches(how: 'end' | 'drop'): number;
  setFaults(faults: Fault[]): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
};

/** Outside /api and /apis: no Kubernetes client asks for it by mistake. */
export const REQUEST_COUNTS_PATH = `${CONTROL_PREFIX}requests`;

function summary(change: Change): ChangeSummary {
  const { metadata } = change.object;
  return {
    type: change.type,
    kind: change.collection.resource.kind,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    name: metadata.name,
    resourceVersion: String(change.resourceVersion),
  };
}

function discoveryResource(r: Resource) {
  return {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ['get', 'list', 'watch'],
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
      /** The deprecated `/api/v1/watch/…` form of a watch. */
      watchPath?: boolean;
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
  const watchPath = rest[0] === 'watch' && rest.length > 1;
  if (watchPath) rest = rest.slice(1);
  const extra = watchPath ? { watchPath } : {};
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest.length <= 4) {
    return {
      type: 'objects',
      group,
      version,
      namespace: rest[1],
      plural: rest[2],
      name: rest[3],
      ...extra,
    };
  }
  if (rest.length <= 2)
    return {
      type: 'objects',
      group,
      version,
      plural: rest[0],
      name: rest[1],
      ...extra,
    };
  return undefined;
}

/** The Kubernetes verb of a request, as the API server's audit log names it. */
function verbOf(method: string, path: string, query: URLSearchParams): string {
  if (method !== 'GET') return method.toLowerCase();
  const r = route(path);
  if (r?.type !== 'objects') return 'get';
  if (r.watchPath || isWatch(query)) return 'watch';
  return r.name === undefined ? 'list' : 'get';
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

/** A continue token: the list's resourceVersion and where its last page ended, as the API server's holds them. */
function encodeContinue(rv: number, after: number): string {
  return Buffer.from(JSON.stringify({ rv, after })).toString('base64url');
}

function decodeContinue(
  token: string,
): { rv: number; after: number } | undefined {
  try {
    const { rv, after } = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    return Number.isInteger(rv) && Number.isInteger(after)
      ? { rv, after }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A list's resourceVersion parameter, as the API server reads it: unset or
 * "0" is the current state; a newer version than the store's is too large;
 * `resourceVersionMatch=Exact` of an older one is a state no longer kept
 * (the demo cluster keeps no past states, only past changes).
 */
function listVersionError(
  res: ServerResponse,
  store: Store,
  query: URLSearchParams,
): number | undefined {
  const rv = query.get('resourceVersion');
  if (!rv || rv === '0') return undefined;
  if (!/^\d+$/.test(rv))
    return status(
      res,
      400,
      'BadRequest',
      `resourceVersion: Invalid value: "${rv}": must be an integer`,
    );
  const current = store.currentVersion;
  if (Number(rv) > current)
    return status(
      res,
      504,
      'Timeout',
      `Too large resource version: ${rv}, current: ${current}`,
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
  if (query.get('resourceVersionMatch') === 'Exact' && Number(rv) !== current)
    return status(
      res,
      410,
      'Expired',
      `The resourceVersion for the provided list is too old: ${rv} (current ${current})`,
    );
  return undefined;
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
  const versionError = listVersionError(res, store, query);
  if (versionError) return versionError;
  // Every page of a list shows the cluster at its first page's version,
  // as the API server's do: changes between pages are for the watch.
  let rv = store.currentVersion;
  let after = -1;
  const token = query.get('continue');
  if (token) {
    const decoded = decodeContinue(token);
    if (decoded === undefined || decoded.rv > rv)
      return status(res, 400, 'BadRequest', 'invalid continue token');
    ({ rv, after } = decoded);
  }
  const all = store.listAt(
    c,
    rv,
    after,
    o =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      matches(o) &&
      fields(o),
  );
  if (all === 'expired')
    return status(
      res,
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  const limit = Number(query.get('limit') ?? 0);
  const page = limit > 0 ? all.slice(0, limit) : all;
  const items = page.map(l => l.object);
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (page.length < all.length) {
    metadata.continue = encodeContinue(rv, page[page.length - 1].position);
    metadata.remainingItemCount = all.length - page.length;
  }
  return json(res, {
    kind: `${c.resource.kind}List`,
    apiVersion: groupVersion(c.resource),
    metadata,
    items,
  });
}

type Context = {
  store: Store;
  token?: string;
  fault?: Fault;
  watchSettings: Parameters<typeof serveWatch>[5];
};

function notFound(res: ServerResponse): number {
  return status(
    res,
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
}

function handle(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
): number {
  const { store } = ctx;
  const url = new URL(req.url ?? '/', 'http://demo-cluster');
  if (
    ctx.token !== undefined &&
    req.headers.authorization !== `Bearer ${ctx.token}`
  ) {
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
  const r = route(url.pathname);
  if (!r) return notFound(res);
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
      if (resources.length === 0) return notFound(res);
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
      if (!c) return notFound(res);
      if (r.namespace !== undefined && !c.resource.namespaced)
        return notFound(res);
      if (r.watchPath || isWatch(url.searchParams)) {
        const f = ctx.fault;
        return serveWatch(
          store,
          { collection: c, namespace: r.namespace, name: r.name },
          url.searchParams,
          res,
          f
            ? {
                dropAfterEvents: f.dropAfterEvents,
                stall: f.stall,
                expire: f.expire,
                malformed: f.malformed,
              }
            : undefined,
          ctx.watchSettings,
        );
      }
      if (r.name === undefined)
        return list(res, store, c, r.namespace, url.searchParams);
      const found = c.objects.get(
        `${c.resource.namespaced ? r.namespace ?? '' : ''}/${r.name}`,
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

export type DemoClusterCertificate = {
  /** PEM */
  key: string;
  /** PEM: what clients trust. */
  cert: string;
};

/**
 * A self-signed certificate for a demo cluster on `host` (and 127.0.0.1,
 * localhost), made here (nothing is downloaded or stored). Made ahead and
 * given to startDemoCluster, it lets a client trust a cluster that is not
 * up yet, or one restarted on the same port.
 */
export function demoClusterCertificate(
  host = '127.0.0.1',
): DemoClusterCertificate {
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  // Node once refused a certificate made here when the server started
  // (ERR_OSSL_ASN1_ILLEGAL_PADDING: DER integers with a leading zero byte, which
  // selfsigned's random serial and key can have; not reproduced in 1,200 draws
  // since). Draw again until Node's TLS takes the pair, as the server will.
  for (let attempt = 1; ; attempt++) {
    const made = selfSignedCertificate(host, ip);
    try {
      createSecureContext({ key: made.key, cert: made.cert });
      return made;
    } catch (error) {
      if (attempt >= 10) throw error;
    }
  }
}

function selfSignedCertificate(
  host: string,
  ip: boolean,
): DemoClusterCertificate {
  const made = generate(
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
  return { key: made.private, cert: made.cert };
}

export async function startDemoCluster(
  options: DemoClusterOptions,
  port = 0,
  host = '127.0.0.1',
): Promise<DemoCluster> {
  const store = new Store(options.objects, {
    historySize: options.watchHistory,
    firstVersion: options.firstResourceVersion,
  });
  // Checked now: a path that is no regular expression would fail every request.
  let faults = new FaultPlan(options.faults ?? []);
  let latency = options.latencyMs ?? 0;
  const counter = new RequestCounter();
  const openStreams = new Set<(how: 'end' | 'drop') => void>();
  const watchSettings = {
    onOpen: (end: (how: 'end' | 'drop') => void) => {
      openStreams.add(end);
      return () => {
        openStreams.delete(end);
      };
    },
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    minRequestTimeoutSeconds: options.minRequestTimeoutSeconds ?? 1800,
    maxBacklog: options.maxWatchBacklog ?? 100_000,
    onEvent: (type: WatchEventType) => counter.event(type),
  };
  const sockets = new Set<import('node:net').Socket>();
  const tls = options.insecureHttp
    ? undefined
    : options.certificate ?? demoClusterCertificate(host);
  // Set once listening; the control endpoints act on it.
  const made: { cluster?: DemoCluster } = {};
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://demo-cluster');
    const method = req.method ?? 'GET';
    const verb = verbOf(method, url.pathname, url.searchParams);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      if (
        options.token !== undefined &&
        req.headers.authorization !== `Bearer ${options.token}`
      ) {
        status(res, 401, 'Unauthorized', 'Unauthorized');
        return;
      }
      handleControl(
        req,
        res,
        url.pathname,
        made.cluster!,
        options.controlEndpoints ?? false,
      ).catch(e => {
        if (!res.headersSent)
          status(res, 500, 'InternalError', `demo cluster error: ${String(e)}`);
      });
      return;
    }
    const record: RequestRecord = {
      method,
      path: url.pathname,
      query: url.search,
      verb,
      status: 0,
    };
    counter.record(record);
    const watch = verb === 'watch';
    if (watch) res.on('close', counter.watchOpened());
    const fault = faults.pick(url.pathname, watch);
    const delay = latency + (fault?.delayMs ?? 0);
    const answer = () => {
      if (fault?.hang) return;
      if (fault?.status) {
        record.status = status(
          res,
          fault.status,
          reasonFor(fault.status),
          fault.status === 403
            ? `forbidden: injected fault for ${url.pathname}`
            : `injected fault for ${url.pathname}`,
        );
        return;
      }
      if (fault?.malformed && !watch) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"kind": "PodList", "items": [ this is not JSON');
        record.status = 200;
        return;
      }
      try {
        record.status = handle(
          { store, token: options.token, fault, watchSettings },
          req,
          res,
        );
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
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler)
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
  made.cluster = {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    ...(tls ? { certificate: tls.cert } : {}),
    requests: counter.requests,
    requestCounts: () => counter.counts(),
    resourceVersion: () => store.resourceVersion,
    apply: objects => store.apply(objects).map(summary),
    remove: refs => store.remove(refs).map(summary),
    replace: objects => store.replace(objects).map(summary),
    endWatches: how => {
      const ends = [...openStreams];
      ends.forEach(end => end(how));
      return ends.length;
    },
    setFaults: f => {
      faults = new FaultPlan(f);
    },
    setLatency: ms => {
      latency = ms;
    },
    close: () =>
      new Promise<void>(resolve => {
        // Hung requests and open watches keep their sockets open: end them so that close() returns.
        sockets.forEach(s => s.destroy());
        server.close(() => resolve());
      }),
  };
  return made.cluster;
}
