/*
 * Watches as the API server answers them, read off the wire: events as
 * newline-delimited JSON, resourceVersion semantics, bookmarks, timeouts,
 * selectors, 410 for versions no longer kept, faults, and the request
 * counter.
 */
import { IncomingMessage, request } from 'node:http';
import { join, resolve } from 'node:path';
import { loadInputs } from '@internal/traffic-path-cli';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import {
  demoClusterCertificate,
  DemoCluster,
  DemoClusterOptions,
  Fault,
  startDemoCluster,
} from './server';
import { Change, ChangeType } from './store';
import { eventFor } from './watch';
import { getJson, openWatch, WatchStream } from './__testUtils__/watchStream';

const root = resolve(__dirname, '../../..');
const seed004 = loadInputs([
  join(root, 'test/scenarios/seed-004/cluster'),
]).objects;
const open: WatchStream[] = [];
let cluster: DemoCluster;

async function start(options: Partial<DemoClusterOptions> = {}) {
  cluster = await startDemoCluster({
    objects: seed004,
    insecureHttp: true,
    ...options,
  });
  return cluster;
}

async function watch(path: string) {
  const stream = await openWatch(cluster, path);
  open.push(stream);
  return stream;
}

function pod(name: string): KubeObject {
  const found = seed004.find(o => o.kind === 'Pod' && o.metadata.name === name);
  if (!found) throw new Error(`seed-004 has no pod ${name}`);
  return structuredClone(found);
}

/** The pod as it is when its readiness probe fails. */
function notReady(p: KubeObject): KubeObject {
  return {
    ...p,
    status: {
      ...(p.status as object),
      conditions: [{ type: 'Ready', status: 'False' }],
    },
  };
}

const names = (s: WatchStream) =>
  s.events.map(e => `${e.type} ${e.object.metadata.name ?? ''}`);

afterEach(async () => {
  open.splice(0).forEach(s => s.close());
  await cluster?.close();
});

describe('eventFor', () => {
  const obj = (app: string, rv: string) =>
    ({
      kind: 'Pod',
      metadata: { name: 'p', labels: { app }, resourceVersion: rv },
    } as KubeObject);
  const app1 = (o: KubeObject) => o.metadata.labels?.app === 'app1';
  const change = (
    type: ChangeType,
    object: KubeObject,
    previous?: KubeObject,
  ) =>
    ({
      type,
      object,
      previous,
      resourceVersion: Number(object.metadata.resourceVersion),
    } as Change);

  it.each([
    ['ADDED', 'app1', undefined, 'ADDED app1@3'],
    ['ADDED', 'app2', undefined, 'none'],
    ['MODIFIED', 'app1', 'app1', 'MODIFIED app1@3'],
    ['MODIFIED', 'app1', 'app2', 'ADDED app1@3'],
    ['MODIFIED', 'app2', 'app1', 'DELETED app1@3'],
    ['MODIFIED', 'app2', 'app2', 'none'],
    ['DELETED', 'app1', 'app1', 'DELETED app1@3'],
    ['DELETED', 'app2', 'app2', 'none'],
  ] as const)(
    '%s with app=%s (before: %s) is %s for a watch of app=app1',
    (type, now, before, expected) => {
      const event = eventFor(
        change(type, obj(now, '3'), before ? obj(before, '2') : undefined),
        app1,
      );
      expect(
        event && event.type !== 'BOOKMARK'
          ? `${event.type} ${event.object.metadata.labels?.app}@${event.object.metadata.resourceVersion}`
          : 'none',
      ).toBe(expected);
    },
  );
});

describe('lists', () => {
  it('carry the store resourceVersion, and objects their own', async () => {
    await start();
    const { body } = await getJson(cluster, '/api/v1/namespaces/app/pods');
    expect(body.metadata.resourceVersion).toBe(cluster.resourceVersion());
    const versions = body.items.map((p: KubeObject) =>
      Number(p.metadata.resourceVersion),
    );
    expect(new Set(versions).size).toBe(versions.length);
    versions.forEach((v: number) =>
      expect(v).toBeLessThanOrEqual(Number(cluster.resourceVersion())),
    );
    const [change] = cluster.apply([notReady(pod('app1-7d9c5b8f6-k2x8p'))]);
    const again = await getJson(
      cluster,
      '/api/v1/namespaces/app/pods/app1-7d9c5b8f6-k2x8p',
    );
    expect(again.body.metadata.resourceVersion).toBe(change.resourceVersion);
    expect(again.body.status.conditions[0].status).toBe('False');
  });

  it('answer 504 for a resourceVersion newer than the store, 410 for an Exact old one', async () => {
    await start();
    const rv = Number(cluster.resourceVersion());
    const future = await getJson(
      cluster,
      `/api/v1/pods?resourceVersion=${rv + 5}`,
    );
    expect(future.status).toBe(504);
    expect(future.body.message).toContain('Too large resource version');
    const exact = await getJson(
      cluster,
      `/api/v1/pods?resourceVersion=${rv - 1}&resourceVersionMatch=Exact`,
    );
    expect(exact.status).toBe(410);
    expect(exact.body.reason).toBe('Expired');
  });
});

describe('list pages', () => {
  const page = async (query: string) =>
    (await getJson(cluster, `/api/v1/pods?${query}`)).body;
  const view = (items: KubeObject[]) =>
    items.map(
      p =>
        `${p.metadata.name}@${p.metadata.resourceVersion} ${
          (p.status as any).podIP
        }`,
    );

  it('show the cluster at the first page version, whatever changes between them', async () => {
    await start();
    const whole = await page('');
    const first = await page('limit=3');
    expect(first.metadata.remainingItemCount).toBe(4);
    // Between the pages: a pod of a later page deleted, one modified, one added.
    const later = whole.items.slice(3).map((p: KubeObject) => p.metadata);
    cluster.remove([
      { kind: 'Pod', namespace: later[0].namespace, name: later[0].name },
    ]);
    cluster.apply([
      {
        ...pod('app3-6c7d8e9f0-r5t7y'),
        status: { phase: 'Running', podIP: '10.17.10.199' },
      },
    ]);
    cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'late', namespace: 'app' },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    ]);
    const rest: KubeObject[] = [];
    let token = first.metadata.continue;
    while (token) {
      const next = await page(`limit=3&continue=${token}`);
      expect(next.metadata.resourceVersion).toBe(
        whole.metadata.resourceVersion,
      );
      rest.push(...next.items);
      token = next.metadata.continue;
    }
    expect(view([...first.items, ...rest])).toEqual(view(whole.items));
    // A fresh list shows the changes: the deleted pod came back (modified), and one more.
    const now = await page('');
    expect(now.items.map((p: KubeObject) => p.metadata.name)).toEqual(
      expect.arrayContaining(['late', later[0].name]),
    );
    expect(now.items).toHaveLength(8);
  });

  it('answer 410 for a continue token whose version is no longer kept', async () => {
    await start({ watchHistory: 1 });
    const first = await page('limit=2');
    cluster.apply([notReady(pod('app1-7d9c5b8f6-k2x8p'))]);
    cluster.apply([notReady(pod('app1-7d9c5b8f6-m4n7q'))]);
    const next = await getJson(
      cluster,
      `/api/v1/pods?limit=2&continue=${first.metadata.continue}`,
    );
    expect(next.status).toBe(410);
    expect(next.body.reason).toBe('Expired');
  });
});

describe('?watch=true', () => {
  it('starts with ADDED for the current state, then streams changes (no resourceVersion)', async () => {
    await start();
    const s = await watch('/api/v1/namespaces/app/pods?watch=true');
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toBe('application/json');
    expect(s.headers['transfer-encoding']).toBe('chunked');
    await s.waitFor(4);
    expect(names(s)).toEqual([
      'ADDED app1-7d9c5b8f6-k2x8p',
      'ADDED app1-7d9c5b8f6-m4n7q',
      'ADDED app2-5b6f7c8d9-q3w5e',
      'ADDED app3-6c7d8e9f0-r5t7y',
    ]);
    expect(s.events[0].object.kind).toBe('Pod');
    expect(s.events[0].object.apiVersion).toBe('v1');
    const [modified] = cluster.apply([notReady(pod('app1-7d9c5b8f6-k2x8p'))]);
    const [deleted] = cluster.remove([
      { kind: 'Pod', namespace: 'app', name: 'app2-5b6f7c8d9-q3w5e' },
    ]);
    await s.waitFor(6);
    expect(names(s).slice(4)).toEqual([
      'MODIFIED app1-7d9c5b8f6-k2x8p',
      'DELETED app2-5b6f7c8d9-q3w5e',
    ]);
    expect(s.events[4].object.metadata.resourceVersion).toBe(
      modified.resourceVersion,
    );
    // A deleted object's last state, with the deletion's resourceVersion.
    expect(s.events[5].object.metadata.resourceVersion).toBe(
      deleted.resourceVersion,
    );
    expect((s.events[5].object.status as any).podIP).toBe('10.17.10.92');
  });

  it('accepts watch=1 and resourceVersion=0 ("any": the state first too)', async () => {
    await start();
    const s = await watch('/api/v1/pods?watch=1&resourceVersion=0');
    await s.waitFor(7);
    expect(s.events.every(e => e.type === 'ADDED')).toBe(true);
  });

  it('resumes after a resourceVersion: only the changes after it, in order', async () => {
    await start();
    const list = await getJson(cluster, '/api/v1/namespaces/app/pods');
    const rv = list.body.metadata.resourceVersion;
    cluster.apply([notReady(pod('app1-7d9c5b8f6-k2x8p'))]);
    cluster.remove([
      { kind: 'Service', namespace: 'app', name: 'app3-service' },
    ]);
    cluster.apply([notReady(pod('app3-6c7d8e9f0-r5t7y'))]);
    const s = await watch(
      `/api/v1/namespaces/app/pods?watch=true&resourceVersion=${rv}`,
    );
    await s.waitFor(2);
    expect(names(s)).toEqual([
      'MODIFIED app1-7d9c5b8f6-k2x8p',
      'MODIFIED app3-6c7d8e9f0-r5t7y',
    ]);
    // Nothing is sent twice: a change after the watch opened follows once.
    cluster.apply([pod('app3-6c7d8e9f0-r5t7y')]);
    await s.waitFor(3);
    await new Promise(r => setTimeout(r, 50));
    expect(names(s)).toHaveLength(3);
    const versions = s.events.map(e =>
      Number(e.object.metadata.resourceVersion),
    );
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('sends nothing for an object applied unchanged', async () => {
    await start();
    const s = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${cluster.resourceVersion()}`,
    );
    expect(cluster.apply([pod('app1-7d9c5b8f6-k2x8p')])).toEqual([]);
    cluster.apply([notReady(pod('app1-7d9c5b8f6-m4n7q'))]);
    await s.waitFor(1);
    expect(names(s)).toEqual(['MODIFIED app1-7d9c5b8f6-m4n7q']);
  });

  it('answers an ERROR event with a 410 Expired Status for a version no longer kept', async () => {
    await start({ watchHistory: 2 });
    const rv = cluster.resourceVersion();
    for (const name of ['app1-7d9c5b8f6-k2x8p', 'app1-7d9c5b8f6-m4n7q'])
      cluster.apply([notReady(pod(name))]);
    // Two changes are still kept: resuming from the start works.
    const kept = await watch(`/api/v1/pods?watch=true&resourceVersion=${rv}`);
    await kept.waitFor(2);
    cluster.apply([notReady(pod('app2-5b6f7c8d9-q3w5e'))]);
    const s = await watch(`/api/v1/pods?watch=true&resourceVersion=${rv}`);
    expect(s.status).toBe(200);
    expect(await s.ended).toBe('end');
    expect(s.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringContaining(`too old resource version: ${rv}`),
        }),
      },
    ]);
  });

  it('answers 504 for a version newer than the store', async () => {
    await start();
    const s = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${
        Number(cluster.resourceVersion()) + 1
      }`,
    );
    expect(s.status).toBe(504);
    expect(JSON.parse(s.body).reason).toBe('Timeout');
  });

  it('filters by label selector: an object that stops matching is DELETED, one that starts is ADDED', async () => {
    await start();
    const s = await watch(
      `/api/v1/pods?watch=true&labelSelector=${encodeURIComponent('app=app1')}`,
    );
    await s.waitFor(2);
    const moved = pod('app1-7d9c5b8f6-k2x8p');
    moved.metadata.labels = { ...moved.metadata.labels, app: 'other' };
    const [change] = cluster.apply([moved]);
    cluster.apply([notReady(pod('app2-5b6f7c8d9-q3w5e'))]); // not selected
    cluster.apply([pod('app1-7d9c5b8f6-k2x8p')]);
    await s.waitFor(4);
    expect(names(s).slice(2)).toEqual([
      'DELETED app1-7d9c5b8f6-k2x8p',
      'ADDED app1-7d9c5b8f6-k2x8p',
    ]);
    // The DELETED event carries the state that matched, at the change's version.
    expect(s.events[2].object.metadata.labels?.app).toBe('app1');
    expect(s.events[2].object.metadata.resourceVersion).toBe(
      change.resourceVersion,
    );
  });

  it('filters by field selector and namespace, and watches one object by name', async () => {
    await start();
    const byField = await watch(
      '/api/v1/pods?watch=true&fieldSelector=metadata.namespace%3Dkube-system',
    );
    const one = await watch(
      '/api/v1/namespaces/app/pods/app3-6c7d8e9f0-r5t7y?watch=true',
    );
    const legacy = await watch('/api/v1/watch/namespaces/app/services');
    await byField.waitFor(3);
    await one.waitFor(1);
    await legacy.waitFor(3);
    expect(byField.events.map(e => e.object.metadata.namespace)).toEqual([
      'kube-system',
      'kube-system',
      'kube-system',
    ]);
    expect(names(one)).toEqual(['ADDED app3-6c7d8e9f0-r5t7y']);
    expect(legacy.events.every(e => e.object.kind === 'Service')).toBe(true);
    const bad = await watch(
      '/api/v1/pods?watch=true&fieldSelector=spec.foo%3D1',
    );
    expect(bad.status).toBe(400);
  });

  it('sends BOOKMARKs with the latest resourceVersion when allowed, and none otherwise', async () => {
    await start({ bookmarkIntervalMs: 50 });
    const rv = cluster.resourceVersion();
    const s = await watch(
      `/api/v1/namespaces/app/services?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`,
    );
    const plain = await watch(
      `/api/v1/namespaces/app/services?watch=true&resourceVersion=${rv}`,
    );
    // A change elsewhere moves the bookmark's version on.
    const [change] = cluster.apply([notReady(pod('app1-7d9c5b8f6-k2x8p'))]);
    await s.waitFor(2);
    expect(s.events[0].type).toBe('BOOKMARK');
    expect(s.events[0].object).toEqual({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { resourceVersion: change.resourceVersion },
    });
    expect(plain.events).toEqual([]);
  });

  it('streams the initial state as a WatchList (sendInitialEvents) ending in a marked BOOKMARK', async () => {
    await start();
    const s = await watch(
      '/api/v1/namespaces/app/services?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan',
    );
    await s.waitFor(4);
    expect(s.events.map(e => e.type)).toEqual([
      'ADDED',
      'ADDED',
      'ADDED',
      'BOOKMARK',
    ]);
    expect(s.events[3].object.metadata).toEqual({
      resourceVersion: cluster.resourceVersion(),
      annotations: { 'k8s.io/initial-events-end': 'true' },
    });
    const invalid = await watch(
      '/api/v1/services?watch=true&sendInitialEvents=true',
    );
    expect(invalid.status).toBe(422);
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    await start();
    const started = Date.now();
    const s = await watch(
      `/api/v1/pods?watch=true&timeoutSeconds=1&resourceVersion=${cluster.resourceVersion()}`,
    );
    expect(await s.ended).toBe('end');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('writes a large state in batches and each later change alone', async () => {
    const pods: KubeObject[] = Array.from({ length: 20_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: `ns-${i % 50}` },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
      status: { phase: 'Running', podIP: `10.1.${i >> 8}.${i & 255}` },
    }));
    await start({ objects: pods });
    const watches = await Promise.all(
      Array.from({ length: 5 }, () =>
        watch(
          `/api/v1/pods?watch=true&resourceVersion=${cluster.resourceVersion()}`,
        ),
      ),
    );
    const full = await watch('/api/v1/pods?watch=true');
    const started = Date.now();
    for (let i = 0; i < 200; i++)
      cluster.apply([
        { ...pods[i], status: { phase: 'Running', podIP: `10.2.0.${i}` } },
      ]);
    await Promise.all(watches.map(w => w.waitFor(200)));
    // Serialising the 20k-pod store per event would take minutes here.
    expect(Date.now() - started).toBeLessThan(3000);
    await full.waitFor(20_200, 20_000);
    expect(new Set(full.events.map(e => e.object.metadata.name)).size).toBe(
      20_000,
    );
  }, 30_000);
});

describe('a client that does not read', () => {
  it('has its watch cut once too many changes wait for it', async () => {
    await start({ maxWatchBacklog: 50 });
    const rv = cluster.resourceVersion();
    const url = new URL(
      `/api/v1/namespaces/app/pods?watch=true&resourceVersion=${rv}`,
      cluster.url,
    );
    const opened = await new Promise<IncomingMessage>(done =>
      request(url, done).end(),
    );
    // Never read: the socket's buffers fill, then the backlog.
    opened.pause();
    opened.on('error', () => undefined);
    const big = 'x'.repeat(64 * 1024);
    let changes = 0;
    while (cluster.requestCounts().openWatches > 0 && changes < 5000) {
      const p = pod('app1-7d9c5b8f6-k2x8p');
      p.metadata.annotations = { big: `${big}${changes++}` };
      cluster.apply([p]);
      await new Promise(r => setImmediate(r));
    }
    expect(cluster.requestCounts().openWatches).toBe(0);
    expect(changes).toBeLessThan(5000);
    // A watch that reads is not touched by as many changes.
    const reading = await watch(
      `/api/v1/namespaces/app/pods?watch=true&resourceVersion=${cluster.resourceVersion()}`,
    );
    for (let i = 0; i < 200; i++) {
      const p = pod('app1-7d9c5b8f6-k2x8p');
      p.metadata.annotations = { n: String(i) };
      cluster.apply([p]);
      await new Promise(r => setImmediate(r));
    }
    await reading.waitFor(200);
    expect(cluster.requestCounts().openWatches).toBe(1);
  }, 30_000);
});

describe('faults for watches', () => {
  it('cuts the connection after N events', async () => {
    await start({ faults: [{ path: '/pods$', dropAfterEvents: 2 }] });
    const s = await watch('/api/v1/pods?watch=true');
    expect(await s.ended).toBe('cut');
    expect(s.events).toHaveLength(2);
    // Lists of the same path are not touched by a watch-only fault.
    expect((await getJson(cluster, '/api/v1/pods')).body.items).toHaveLength(7);
  });

  it('answers 410 as an ERROR event (expire) or as a response (status 410), a given number of times', async () => {
    await start({
      faults: [
        { path: '/services$', expire: true, times: 1 },
        { path: '/pods$', status: 410, watch: true },
      ],
    });
    const expired = await watch('/api/v1/services?watch=true');
    expect(await expired.ended).toBe('end');
    expect(expired.events[0]).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
    const second = await watch('/api/v1/services?watch=true');
    await second.waitFor(5);
    expect(second.events[0].type).toBe('ADDED');
    const gone = await watch('/api/v1/pods?watch=true');
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.body)).toMatchObject({ kind: 'Status', code: 410 });
    expect((await getJson(cluster, '/api/v1/pods')).status).toBe(200);
  });

  it('stalls: the watch opens and nothing comes, not even changes', async () => {
    await start({
      faults: [{ path: '/pods$', stall: true }],
      bookmarkIntervalMs: 20,
    });
    const s = await watch('/api/v1/pods?watch=true&allowWatchBookmarks=true');
    expect(s.status).toBe(200);
    cluster.apply([notReady(pod('app1-7d9c5b8f6-k2x8p'))]);
    await new Promise(r => setTimeout(r, 200));
    expect(s.events).toEqual([]);
  });

  it('sends a line that is not JSON where told to be malformed', async () => {
    await start({ faults: [{ path: '/pods$', malformed: true }] });
    const s = await watch('/api/v1/pods?watch=true');
    await s.ended;
    expect(s.events).toEqual([]);
    expect(s.garbage).toHaveLength(1);
  });
});

describe('a certificate made ahead', () => {
  it('is served, so a client can trust a cluster before it starts and after it restarts', async () => {
    const certificate = demoClusterCertificate();
    await start({ insecureHttp: false, certificate });
    expect(cluster.certificate).toBe(certificate.cert);
    const port = new URL(cluster.url).port;
    await cluster.close();
    cluster = await startDemoCluster(
      { objects: seed004, certificate },
      Number(port),
    );
    const trusted = {
      url: cluster.url,
      certificate: certificate.cert,
    } as DemoCluster;
    expect((await getJson(trusted, '/api/v1/namespaces')).status).toBe(200);
  }, 30_000);

  it('restarted past the former version, sends the former clients 410 and not a version from their future', async () => {
    await start();
    const rv = cluster.resourceVersion();
    await cluster.close();
    cluster = await startDemoCluster({
      objects: seed004,
      insecureHttp: true,
      firstResourceVersion: Number(rv) + 1,
    });
    expect(Number(cluster.resourceVersion())).toBeGreaterThan(Number(rv));
    const s = await watch(`/api/v1/pods?watch=true&resourceVersion=${rv}`);
    await s.ended;
    expect(s.events[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } });
  });
});

describe('fault checks', () => {
  it('refuses a fault that could never apply, naming it', async () => {
    await start();
    expect(() => cluster.setFaults([{ path: '(' }])).toThrow(
      'fault 1: "path" is not a regular expression',
    );
    expect(() =>
      cluster.setFaults([
        { path: '/pods$' },
        { path: '/pods$', stal: true } as unknown as Fault,
      ]),
    ).toThrow('fault 2: unknown key "stal"');
    // The faults before stay.
    expect((await getJson(cluster, '/api/v1/pods')).status).toBe(200);
  });
});

describe('ending open watches', () => {
  it('ends them cleanly or cuts them, stalled ones too', async () => {
    await start({ faults: [{ path: '/services$', stall: true }] });
    const rv = cluster.resourceVersion();
    const a = await watch(`/api/v1/pods?watch=true&resourceVersion=${rv}`);
    const b = await watch(`/api/v1/nodes?watch=true&resourceVersion=${rv}`);
    expect(cluster.endWatches('end')).toBe(2);
    expect(await a.ended).toBe('end');
    expect(await b.ended).toBe('end');
    const c = await watch(`/api/v1/pods?watch=true&resourceVersion=${rv}`);
    const stalled = await watch('/api/v1/services?watch=true');
    expect(cluster.endWatches('drop')).toBe(2);
    expect(await c.ended).toBe('cut');
    expect(await stalled.ended).toBe('cut');
    expect(cluster.endWatches('end')).toBe(0);
  });
});

describe('the request counter', () => {
  it('counts requests by verb and path, watches and their events included', async () => {
    await start({ token: 'secret', insecureHttp: true });
    const before = cluster.requestCounts();
    expect(before.total).toBe(0);
    await getJson(cluster, '/api/v1/namespaces/app/pods', 'secret');
    await getJson(cluster, '/api/v1/namespaces/app/pods/nope', 'secret');
    const s = await openWatch(cluster, '/api/v1/pods?watch=true', 'secret');
    open.push(s);
    await s.waitFor(7);
    const counts = await getJson(cluster, '/demo-cluster/requests', 'secret');
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual({
      total: 3,
      byVerb: { list: 1, get: 1, watch: 1 },
      byVerbAndPath: {
        'list /api/v1/namespaces/app/pods': 1,
        'get /api/v1/namespaces/app/pods/nope': 1,
        'watch /api/v1/pods': 1,
      },
      openWatches: 1,
      watchEvents: { ADDED: 7 },
    });
    expect(cluster.requestCounts()).toEqual(counts.body);
    expect(cluster.requests.map(r => [r.verb, r.status])).toEqual([
      ['list', 200],
      ['get', 404],
      ['watch', 200],
    ]);
    // The counter needs the token like the rest.
    expect((await getJson(cluster, '/demo-cluster/requests')).status).toBe(401);
  });
});
