/*
 * The watched cluster against a real (demo) API server: it lists once,
 * then follows changes through watches; a dropped watch, a 410 and a
 * stalled watch recover without losing or doubling an object (the model is
 * compared with a fresh list); a forbidden kind is a failure of that read
 * only; a cluster over the cap stops being watched.
 */
import { Agent } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import {
  DemoCluster,
  demoClusterCertificate,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import {
  ClusterVersion,
  ClusterWatch,
  startClusterWatch,
} from './clusterWatch';
import { backoffDelay } from './informer';
import { trimForModel } from './intake';
import { readList } from './listReader';
import { apiServerOfKubeConfig, httpsPages } from './transport';
import { httpsWatch } from './watchStream';
import kindNode from './__fixtures__/kind-node.json';

const pod = (name: string, ready = true): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'shop',
    labels: { app: 'web' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"big":"copy"}',
    },
    managedFields: [{ manager: 'kubectl' }],
  } as KubeObject['metadata'],
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx',
        ports: [{ containerPort: 80 }],
        volumeMounts: [{ name: 'x', mountPath: '/x' }],
      },
    ],
    volumes: [{ name: 'x' }],
  },
  status: {
    podIP: '10.0.0.1',
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False', message: 'long' },
    ],
    containerStatuses: [{ name: 'web', ready }],
  },
});
const service = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
});

/** A kind cluster's Node (popeye's test data) as its kubelet posts it: heartbeats, images. */
function node(
  heartbeat: string,
  { address = '192.168.228.3', ready = 'True' } = {},
): KubeObject {
  const n = JSON.parse(JSON.stringify(kindNode));
  n.status.addresses[0].address = address;
  n.status.conditions = n.status.conditions.map(
    (c: Record<string, string>) => ({
      ...c,
      lastHeartbeatTime: heartbeat,
      ...(c.type === 'Ready' ? { status: ready } : {}),
    }),
  );
  n.status.images = [{ names: [`registry.k8s.io/pause:${heartbeat}`] }];
  return n;
}

const reads: ClusterRead[] = [
  {
    path: '/api/v1/services',
    kind: 'Service',
    required: true,
    listed: 'Service',
  },
  { path: '/api/v1/pods', kind: 'Pod', listed: 'Pod' },
  { path: '/api/v1/nodes', kind: 'Node', listed: 'Node' },
  {
    path: '/apis/gateway.networking.k8s.io/v1/gateways',
    kind: 'Gateway',
    absentOk: true,
  },
];

let cluster: DemoCluster;
let certificate: Awaited<ReturnType<typeof demoClusterCertificate>>;
let watches: ClusterWatch[] = [];
const initial = [
  service('web'),
  ...Array.from({ length: 20 }, (_, i) => pod(`web-${i}`)),
];

// One certificate for all: making one takes seconds on a busy machine.
beforeAll(async () => {
  certificate = await demoClusterCertificate();
});
beforeEach(async () => {
  cluster = await startDemoCluster({
    objects: initial,
    token: 'watcher',
    certificate,
  });
});
afterEach(async () => {
  watches.forEach(w => w.stop());
  watches = [];
  await cluster.close();
});

function api() {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    {
      name: 'demo',
      server: cluster.url,
      caData: Buffer.from(cluster.certificate!).toString('base64'),
      skipTLSVerify: false,
    },
    { name: 'watcher', token: 'watcher' },
  );
  return apiServerOfKubeConfig(kc, new Agent({ keepAlive: true }));
}

function watch(
  overrides: {
    maxObjects?: number;
    idleMs?: number;
    debounceMs?: number;
    onBatch?: (v: ClusterVersion) => void;
  } = {},
) {
  const server = api();
  const pages = httpsPages(server, 5000);
  const w = startClusterWatch({
    cluster: 'demo',
    reads,
    list: (read, signal) =>
      readList(read, pages, { pageSize: 7, maxBytes: 1 << 24, signal }),
    watch: httpsWatch(server),
    debounceMs: overrides.debounceMs ?? 20,
    maxObjects: overrides.maxObjects ?? 1000,
    backoff: { initialMs: 20, maxMs: 200 },
    watchTimeoutSeconds: 300,
    idleMs: overrides.idleMs ?? 10_000,
    absentRecheckMs: 600_000,
    onBatch: overrides.onBatch,
  });
  watches.push(w);
  return w;
}

const names = (w: ClusterWatch, kind: string) =>
  w
    .current()!
    .objectsByRead.filter(r => r.read.kind === kind)
    .flatMap(r => r.objects.map(o => o.metadata.name))
    .sort();

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 10));
  }
}

/** The model equals a fresh list: nothing lost, nothing twice. */
async function expectSameAsFreshList(w: ClusterWatch) {
  const fresh = await readList(reads[1], httpsPages(api(), 5000), {
    pageSize: 0,
    maxBytes: 1 << 24,
  });
  if (!('objects' in fresh)) throw fresh.error;
  expect(names(w, 'Pod')).toEqual(
    fresh.objects.map(o => o.metadata.name).sort(),
  );
}

const lists = () => cluster.requestCounts().byVerb.list ?? 0;

describe('startClusterWatch', () => {
  it('lists once, then follows changes without listing again', async () => {
    const w = watch();
    await w.ready();
    expect(w.state()).toBe('ready');
    expect(names(w, 'Pod')).toHaveLength(20);
    const listed = lists();
    const before = w.current()!.version;

    cluster.apply([pod('web-3', false), pod('web-20')]);
    cluster.remove([{ kind: 'Pod', namespace: 'shop', name: 'web-0' }]);
    await until(
      () =>
        names(w, 'Pod').includes('web-20') &&
        !names(w, 'Pod').includes('web-0'),
    );
    expect(w.current()!.version).toBeGreaterThan(before);
    const web3 = w
      .current()!
      .objectsByRead[1].objects.find(o => o.metadata.name === 'web-3')!;
    expect((web3.status as any).conditions).toEqual([
      { type: 'Ready', status: 'False' },
    ]);
    expect(lists()).toBe(listed);
    await expectSameAsFreshList(w);
  });

  it('makes no version while it is still listing: the first is the ready one, with every read', async () => {
    // Pods in pages of 7 and a slow first Node list: several debounces pass before it is ready.
    cluster.setFaults([{ path: '^/api/v1/nodes$', delayMs: 150, times: 1 }]);
    const batches: ClusterVersion[] = [];
    const w = watch({ onBatch: v => batches.push(v) });
    await w.ready();
    expect(w.state()).toBe('ready');
    expect(batches[0].version).toBe(1);
    expect(batches[0].failures).toEqual([]);
    expect(batches[0].listedKinds.sort()).toEqual(['Node', 'Pod', 'Service']);
    expect(w.current()).toBe(batches[batches.length - 1]);
  });

  it('is ready once the last list of the start is in, without waiting for the debounce', async () => {
    const started = Date.now();
    const w = watch({ debounceMs: 60_000 });
    await w.ready();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(names(w, 'Pod')).toHaveLength(20);
  });

  it('keeps only what the engine reads', () => {
    const kept = trimForModel(pod('web-1'));
    expect(kept.metadata).toEqual({
      name: 'web-1',
      namespace: 'shop',
      labels: { app: 'web' },
    });
    expect(kept.spec).toEqual({
      containers: [
        { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] },
      ],
    });
    expect(kept.status).toEqual({
      podIP: '10.0.0.1',
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    expect(
      trimForModel({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'tls', namespace: 'shop' },
        data: { 'tls.key': 'c2VjcmV0' },
      } as KubeObject),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tls', namespace: 'shop' },
    });
  });

  it('makes no version of a Node heartbeat; an address or the Ready condition makes one', async () => {
    const batches: ClusterVersion[] = [];
    const w = watch({ onBatch: v => batches.push(v) });
    await w.ready();
    const nodes = () => w.current()!.objectsByRead[2].objects;
    const nodeRead = () => w.statuses()[2].status;
    const settled = async () => {
      await until(
        () => nodeRead().resourceVersion === cluster.resourceVersion(),
      );
      await new Promise(r => setTimeout(r, 150)); // several debounces
    };
    cluster.apply([node('2024-01-27T15:31:39Z')]);
    await until(() => nodes().length === 1);
    const version = w.current()!.version;
    const kept = nodes()[0];
    expect(kept.status).toEqual({
      addresses: (kindNode as any).status.addresses,
      conditions: [{ type: 'Ready', status: 'True' }],
    });

    // Three heartbeats (a new resourceVersion each): no version, the same object.
    const made = batches.length;
    for (const t of ['49', '59', '09'])
      cluster.apply([node(`2024-01-27T15:32:${t}Z`)]);
    await settled();
    expect(nodeRead().resourceVersion).toBe(cluster.resourceVersion());
    expect(batches.length).toBe(made);
    expect(w.current()!.version).toBe(version);
    expect(nodes()[0]).toBe(kept);

    cluster.apply([node('2024-01-27T15:32:19Z', { address: '192.168.228.9' })]);
    await until(() => w.current()!.version > version);
    expect((nodes()[0].status as any).addresses[0].address).toBe(
      '192.168.228.9',
    );
    const moved = w.current()!.version;

    cluster.apply([
      node('2024-01-27T15:32:29Z', {
        address: '192.168.228.9',
        ready: 'False',
      }),
    ]);
    await until(() => w.current()!.version > moved);
    expect((nodes()[0].status as any).conditions).toEqual([
      { type: 'Ready', status: 'False' },
    ]);
  });

  it('keeps through a relist the very objects that did not change', async () => {
    const w = watch();
    await w.ready();
    const pods = () => w.current()!.objectsByRead[1].objects;
    const before = new Map(pods().map(o => [o.metadata.name, o]));
    cluster.apply([pod('web-3', false)]);
    await until(() => pods().some(o => o !== before.get(o.metadata.name)));
    const after = new Map(pods().map(o => [o.metadata.name, o]));
    await w.relist();
    const relisted = pods();
    expect(relisted).toHaveLength(20);
    for (const o of relisted) expect(o).toBe(after.get(o.metadata.name));
    expect(after.get('web-3')).not.toBe(before.get('web-3'));
  });

  it('resumes a dropped watch from its last version: nothing lost or doubled, no new list', async () => {
    const w = watch();
    await w.ready();
    const listed = lists();
    cluster.setFaults([
      { path: '^/api/v1/pods$', dropAfterEvents: 1, times: 1 },
    ]);
    cluster.endWatches('drop');
    await until(
      () => (cluster.requestCounts().openWatches ?? 0) >= reads.length - 1,
    );
    cluster.apply([pod('web-30'), pod('web-31'), pod('web-32')]);
    await until(() => names(w, 'Pod').includes('web-32'));
    expect(lists()).toBe(listed);
    await expectSameAsFreshList(w);
  });

  it('lists again after 410 Gone and replaces what it held', async () => {
    const w = watch();
    await w.ready();
    const listed = lists();
    cluster.setFaults([{ path: '^/api/v1/pods$', expire: true, times: 1 }]);
    cluster.remove([{ kind: 'Pod', namespace: 'shop', name: 'web-5' }]);
    cluster.endWatches('drop');
    await until(() => lists() > listed && !names(w, 'Pod').includes('web-5'));
    cluster.apply([pod('web-40')]);
    await until(() => names(w, 'Pod').includes('web-40'));
    expect(names(w, 'Pod')).not.toContain('web-5');
    await expectSameAsFreshList(w);
  });

  it('cuts a stalled watch and watches again', async () => {
    const w = watch({ idleMs: 300 });
    await w.ready();
    // Ready comes as soon as the lists are in: the watches open just after.
    await until(
      () => (cluster.requestCounts().openWatches ?? 0) >= reads.length - 1,
    );
    cluster.setFaults([{ path: '^/api/v1/pods$', stall: true, times: 1 }]);
    cluster.endWatches('drop');
    await new Promise(r => setTimeout(r, 100));
    cluster.apply([pod('web-50')]);
    await until(() => names(w, 'Pod').includes('web-50'), 8000);
    expect(w.statuses()[1].status.watches).toBeGreaterThanOrEqual(3);
    await expectSameAsFreshList(w);
  });

  it('serves a forbidden kind as a failure of that read only; an absent CRD as none', async () => {
    cluster.setFaults([{ path: '/nodes$', status: 403 }]);
    const w = watch();
    await w.ready();
    expect(w.state()).toBe('ready');
    const v = w.current()!;
    expect(v.failures.map(f => [f.read.kind, f.error?.status])).toEqual([
      ['Node', 403],
    ]);
    expect(v.listedKinds).toEqual(['Service', 'Pod']);
    expect(names(w, 'Gateway')).toEqual([]);
  });

  it('waits for a kind that failed for a moment at start, so the first version has its objects', async () => {
    // Three 503s for pods: with a 200 ms backoff bound, within the grace.
    cluster.setFaults([{ path: '^/api/v1/pods$', status: 503, times: 3 }]);
    const w = watch();
    await w.ready();
    expect(w.state()).toBe('ready');
    expect(w.current()!.failures).toEqual([]);
    expect(names(w, 'Pod')).toHaveLength(20);
  });

  it('becomes ready without a kind that keeps failing, once the grace is over, and says so', async () => {
    cluster.setFaults([{ path: '^/api/v1/pods$', status: 503 }]);
    const started = Date.now();
    const w = watch();
    await w.ready();
    expect(w.state()).toBe('ready');
    // Grace: twice the 200 ms backoff bound, after the Services listed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(
      w.current()!.failures.map(f => [f.read.kind, f.error?.status]),
    ).toEqual([['Pod', 503]]);
  });

  it('stops watching a cluster over the cap', async () => {
    const w = watch({ maxObjects: 10 });
    await w.ready();
    expect(w.state()).toBe('over-cap');
    expect(w.current()).toBeUndefined();
    expect(w.size()).toBeLessThanOrEqual(21);
  });

  it('relist() lists every read again', async () => {
    const w = watch();
    await w.ready();
    const before = w.statuses().map(s => s.status.lists);
    const version = w.current()!.version;
    await w.relist();
    expect(w.statuses().map(s => s.status.lists)).toEqual(
      before.map(n => n + 1),
    );
    expect(w.current()!.version).toBeGreaterThan(version);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the bound, with jitter in its upper half', () => {
    const b = { initialMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, b, () => 0)).toBe(50);
    expect(backoffDelay(0, b, () => 0.999)).toBe(100);
    expect(backoffDelay(3, b, () => 0.5)).toBe(600);
    expect(backoffDelay(10, b, () => 0.999)).toBe(1000);
  });
});
