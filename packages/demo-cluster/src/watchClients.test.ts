/*
 * The demo cluster's watches as real clients use them: `kubectl get -w` and
 * @kubernetes/client-node's informer follow changes made to the scenario
 * files on disk, and the informer recovers from a cut connection and from
 * 410 Gone without losing or doubling an object.
 */
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import { reloadOnChange, Reloader, ScenarioFiles } from './files';
import { DemoCluster, startDemoCluster } from './server';
import { writeKubeconfig } from './__testUtils__/kubeconfig';
import { KubectlWatch, kubectlWatch } from './__testUtils__/kubectlWatch';

const root = resolve(__dirname, '../../..');
const token = 'watch-token';
let dir: string;
let cluster: DemoCluster;
let reloader: Reloader;
let kubeconfig: string;
const running: { stop(): void }[] = [];

function clientConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'demo',
        server: cluster.url,
        caData: Buffer.from(cluster.certificate!).toString('base64'),
      },
    ],
    users: [{ name: 'demo', token }],
    contexts: [{ name: 'demo', cluster: 'demo', user: 'demo' }],
    currentContext: 'demo',
  });
  return kc;
}

/** Edits a scenario file as an editor that writes a temporary file and renames it over would. */
function editFile(name: string, edit: (text: string) => string) {
  const file = join(dir, name);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit changed nothing in ${name}`);
  writeFileSync(`${file}.tmp~`, after);
  renameSync(`${file}.tmp~`, file);
}

/** The text of one item of a `kind: List` file: from its `  - ` to the next. */
function itemRange(text: string, kind: string, name: string) {
  const at = text.indexOf(
    `kind: ${kind}\n    metadata:\n      name: ${name}\n`,
  );
  if (at < 0) throw new Error(`no ${kind} ${name} in the file`);
  const start = text.lastIndexOf('\n  - ', at) + 1;
  const next = text.indexOf('\n  - ', at);
  return { start, end: next < 0 ? text.length : next + 1 };
}

function podNotReady(text: string, name: string): string {
  const { start, end } = itemRange(text, 'Pod', name);
  const item = text
    .slice(start, end)
    .replace(
      "- type: Ready\n          status: 'True'",
      "- type: Ready\n          status: 'False'",
    );
  return text.slice(0, start) + item + text.slice(end);
}

function withoutItem(text: string, kind: string, name: string): string {
  const { start, end } = itemRange(text, kind, name);
  return text.slice(0, start) + text.slice(end);
}

const ready = (p: any): string | undefined =>
  p.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;

function watchKubectl(...args: string[]): KubectlWatch {
  const w = kubectlWatch(kubeconfig, args);
  running.push(w);
  return w;
}

async function until<T>(
  what: string,
  check: () => T | undefined | false,
  ms = 10_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > ms)
      throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demo-cluster-watch-'));
  cpSync(join(root, 'test/scenarios/seed-004/cluster'), dir, {
    recursive: true,
  });
  const files = new ScenarioFiles([dir]);
  cluster = await startDemoCluster({ objects: files.read().objects, token });
  reloader = reloadOnChange(cluster, files, { debounceMs: 50 });
  kubeconfig = writeKubeconfig(cluster, token);
});

afterEach(async () => {
  running.splice(0).forEach(r => r.stop());
  reloader.stop();
  await cluster.close();
});

describe('changes to the scenario files reach real clients', () => {
  it('a pod turning not ready: MODIFIED for kubectl get pods -w and the informer', async () => {
    const kubectl = watchKubectl('pods', '-n', 'app');
    const kc = clientConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(
      kc,
      '/api/v1/namespaces/app/pods',
      () => core.listNamespacedPod({ namespace: 'app' }),
    );
    running.push({ stop: () => informer.stop() });
    const updates: V1Pod[] = [];
    informer.on('update', p => updates.push(p));
    await informer.start();
    await kubectl.waitFor(events => events.length >= 4);
    expect(kubectl.events.map(e => e.type)).toEqual([
      'ADDED',
      'ADDED',
      'ADDED',
      'ADDED',
    ]);
    // kubectl watches from its list's resourceVersion: it must have got there.
    await until('the watches to open', () =>
      cluster.requestCounts().byVerb.watch >= 2 ? true : undefined,
    );

    editFile('app.yaml', t => podNotReady(t, 'app1-7d9c5b8f6-k2x8p'));

    const [modified] = (
      await kubectl.waitFor(events => events.some(e => e.type === 'MODIFIED'))
    ).filter(e => e.type === 'MODIFIED');
    expect(modified.object.metadata.name).toBe('app1-7d9c5b8f6-k2x8p');
    expect(ready(modified.object)).toBe('False');
    const updated = await until('the informer update', () => updates[0]);
    expect(updated.metadata?.name).toBe('app1-7d9c5b8f6-k2x8p');
    expect(ready(updated)).toBe('False');
    expect(updated.metadata?.resourceVersion).toBe(
      modified.object.metadata.resourceVersion,
    );
    expect(ready(informer.get('app1-7d9c5b8f6-k2x8p', 'app') as V1Pod)).toBe(
      'False',
    );
    expect(kubectl.events.filter(e => e.type === 'MODIFIED')).toHaveLength(1);
  }, 30_000);

  it('a Service deleted: DELETED for kubectl get svc -w and the informer', async () => {
    const kubectl = watchKubectl('services', '-n', 'app');
    const kc = clientConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Service>(
      kc,
      '/api/v1/namespaces/app/services',
      () => core.listNamespacedService({ namespace: 'app' }),
    );
    running.push({ stop: () => informer.stop() });
    const deleted: V1Service[] = [];
    informer.on('delete', s => deleted.push(s));
    await informer.start();
    await kubectl.waitFor(events => events.length >= 3);
    await until('the watches to open', () =>
      cluster.requestCounts().byVerb.watch >= 2 ? true : undefined,
    );

    editFile('app.yaml', t => withoutItem(t, 'Service', 'app3-service'));

    const events = await kubectl.waitFor(e =>
      e.some(x => x.type === 'DELETED'),
    );
    expect(
      events.filter(e => e.type !== 'ADDED').map(e => e.object.metadata.name),
    ).toEqual(['app3-service']);
    const gone = await until('the informer delete', () => deleted[0]);
    expect(gone.metadata?.name).toBe('app3-service');
    expect(informer.list('app').map(s => s.metadata?.name)).toEqual([
      'app1-service',
      'app2-service',
    ]);
  }, 30_000);
});

describe('the informer recovers', () => {
  async function startPodInformer() {
    const kc = clientConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(kc, '/api/v1/pods', () =>
      core.listPodForAllNamespaces(),
    );
    running.push({ stop: () => informer.stop() });
    const added: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', p => added.push(p.metadata!.name!));
    // As client-node's documentation says: restart the informer after an error.
    informer.on('error', e => {
      errors.push(e);
      setTimeout(() => informer.start(), 50);
    });
    await informer.start();
    return { informer, added, errors, core };
  }

  /** What the informer holds against a fresh list: the same names at the same versions. */
  async function expectSameAsFreshList(
    informer: { list(): readonly V1Pod[] },
    core: CoreV1Api,
  ) {
    const fresh = await core.listPodForAllNamespaces();
    const view = (pods: readonly V1Pod[]) =>
      pods
        .map(
          p =>
            `${p.metadata?.namespace}/${p.metadata?.name}@${p.metadata?.resourceVersion}`,
        )
        .sort();
    await until('the informer to catch up', () =>
      JSON.stringify(view(informer.list())) ===
      JSON.stringify(view(fresh.items))
        ? true
        : undefined,
    );
    expect(view(informer.list())).toEqual(view(fresh.items));
    expect(informer.list()).toHaveLength(fresh.items.length);
  }

  const pod = (name: string, namespace = 'app'): any => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Running', podIP: '10.17.10.200' },
  });

  it('after a cut connection: resumes from its resourceVersion, no new list, nothing lost or doubled', async () => {
    const lists = () =>
      cluster.requestCounts().byVerbAndPath['list /api/v1/pods'] ?? 0;
    cluster.setFaults([
      { path: '^/api/v1/pods$', dropAfterEvents: 1, times: 1 },
    ]);
    const { informer, added, errors, core } = await startPodInformer();
    expect(lists()).toBe(1);
    await until('the first watch', () =>
      cluster.requestCounts().byVerb.watch >= 1 ? true : undefined,
    );
    // The first change goes out, then the connection is cut.
    cluster.apply([pod('new-1')]);
    await until('the cut', () => (errors.length > 0 ? true : undefined));
    // Changes while the informer is away are replayed when it resumes.
    cluster.apply([pod('new-2')]);
    cluster.remove([
      { kind: 'Pod', namespace: 'app', name: 'app2-5b6f7c8d9-q3w5e' },
    ]);
    await until('the second watch', () =>
      cluster.requestCounts().byVerb.watch >= 2 ? true : undefined,
    );
    cluster.apply([pod('new-3', 'kube-system')]);
    await until('the informer to see new-3', () =>
      informer.get('new-3', 'kube-system'),
    );
    expect(lists()).toBe(1);
    await expectSameAsFreshList(informer, core);
    const resumed = cluster.requests.filter(r => r.verb === 'watch');
    expect(resumed[1].query).toMatch(/resourceVersion=\d+/);
    expect(added.filter(n => n.startsWith('new-')).sort()).toEqual([
      'new-1',
      'new-2',
      'new-3',
    ]);
    expect(new Set(added).size).toBe(added.length);
  }, 30_000);

  it('after 410 Gone: lists again and ends up with exactly the cluster', async () => {
    const lists = () =>
      cluster.requestCounts().byVerbAndPath['list /api/v1/pods'] ?? 0;
    // The first watch is cut after one event; the one after it is told its version is gone.
    cluster.setFaults([
      { path: '^/api/v1/pods$', dropAfterEvents: 1, times: 1 },
      { path: '^/api/v1/pods$', expire: true, times: 1 },
    ]);
    const { informer, added, core } = await startPodInformer();
    expect(lists()).toBe(1);
    cluster.apply([pod('gone-1')]);
    await until('the informer to list again', () =>
      lists() >= 2 ? true : undefined,
    );
    cluster.apply([pod('gone-2')]);
    cluster.remove([
      { kind: 'Pod', namespace: 'app', name: 'app3-6c7d8e9f0-r5t7y' },
    ]);
    await expectSameAsFreshList(informer, core);
    expect(new Set(added).size).toBe(added.length);
    expect(informer.get('app3-6c7d8e9f0-r5t7y', 'app')).toBeUndefined();
  }, 30_000);
});
