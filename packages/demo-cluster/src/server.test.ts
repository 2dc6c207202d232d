/*
 * The demo cluster speaks the Kubernetes API as real clients expect:
 * proven with the real kubectl and with @kubernetes/client-node.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CoreV1Api,
  DiscoveryV1Api,
  KubeConfig,
  NetworkingV1Api,
} from '@kubernetes/client-node';
import { loadInputs } from '@internal/traffic-path-cli';
import { DemoCluster, startDemoCluster } from './server';
import { writeKubeconfig } from './__testUtils__/kubeconfig';

const root = resolve(__dirname, '../../..');
const token = 'test-token';
let cluster: DemoCluster;
let kubeconfig: string;

function clientConfig(withToken = token): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'demo',
        server: cluster.url,
        caData: Buffer.from(cluster.certificate!).toString('base64'),
      },
    ],
    users: [{ name: 'demo', token: withToken }],
    contexts: [{ name: 'demo', cluster: 'demo', user: 'demo' }],
    currentContext: 'demo',
  });
  return kc;
}

async function kubectl(
  ...args: string[]
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: 30_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as {
      stdout?: string;
      stderr?: string;
      code?: number | string;
    };
    if (err.code === 'ENOENT')
      throw new Error(
        'kubectl is not installed: apt-get install -y kubernetes-client (.ci/run does it)',
      );
    return {
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
      code: typeof err.code === 'number' ? err.code : 1,
    };
  }
}

beforeAll(async () => {
  const load = loadInputs([join(root, 'test/scenarios/seed-004/cluster')]);
  cluster = await startDemoCluster({ objects: load.objects, token });
  kubeconfig = writeKubeconfig(cluster, token);
});

afterAll(() => cluster.close());

describe('with kubectl', () => {
  it('lists Ingresses across all namespaces as JSON', async () => {
    const { stdout, code } = await kubectl(
      'get',
      'ingress',
      '-A',
      '-o',
      'json',
    );
    expect(code).toBe(0);
    const list = JSON.parse(stdout);
    expect(list.kind).toBe('List');
    expect(
      list.items
        .map((i: { metadata: { name: string } }) => i.metadata.name)
        .sort(),
    ).toEqual([
      'app1-service-ingress',
      'app2-service-ingress',
      'app3-service-ingress',
    ]);
    expect(list.items[0].apiVersion).toBe('networking.k8s.io/v1');
  });

  it('selects pods by label, equality and set-based', async () => {
    expect(
      (
        await kubectl(
          'get',
          'pods',
          '-n',
          'app',
          '-l',
          'app=app1',
          '-o',
          'name',
        )
      ).stdout
        .trim()
        .split('\n'),
    ).toEqual(['pod/app1-7d9c5b8f6-k2x8p', 'pod/app1-7d9c5b8f6-m4n7q']);
    expect(
      (
        await kubectl(
          'get',
          'pods',
          '-A',
          '-l',
          'app in (app2,app3)',
          '-o',
          'name',
        )
      ).stdout
        .trim()
        .split('\n'),
    ).toEqual(['pod/app2-5b6f7c8d9-q3w5e', 'pod/app3-6c7d8e9f0-r5t7y']);
    expect(
      (
        await kubectl(
          'get',
          'pods',
          '-A',
          '-l',
          'app.kubernetes.io/component=controller,app!=ingress-nginx',
          '-o',
          'name',
        )
      ).stdout.trim(),
    ).toBe('pod/nginx-ingress-internal-controller-5f7d8c6b9-h4m2n');
  });

  it("finds a Service's EndpointSlices by the service-name label", async () => {
    const { stdout } = await kubectl(
      'get',
      'endpointslices',
      '-n',
      'app',
      '-l',
      'kubernetes.io/service-name=app1-service',
      '-o',
      'json',
    );
    const list = JSON.parse(stdout);
    expect(list.items).toHaveLength(1);
    expect(
      list.items[0].endpoints.map(
        (e: { addresses: string[] }) => e.addresses[0],
      ),
    ).toEqual(['10.17.10.91', '10.17.10.160']);
  });

  it('lists cluster-scoped IngressClasses and Nodes', async () => {
    expect(
      (await kubectl('get', 'ingressclasses', '-o', 'name')).stdout
        .trim()
        .split('\n'),
    ).toEqual([
      'ingressclass.networking.k8s.io/nginx',
      'ingressclass.networking.k8s.io/nginx-internal',
    ]);
    expect(
      (await kubectl('get', 'nodes', '-o', 'name')).stdout.trim().split('\n'),
    ).toHaveLength(2);
  });

  it('answers api-resources from discovery', async () => {
    const { stdout, code } = await kubectl('api-resources', '--no-headers');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/m,
    );
    expect(stdout).toMatch(
      /^ingresses\s+ing\s+networking\.k8s\.io\/v1\s+true\s+Ingress$/m,
    );
    expect(stdout).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
  });

  it('says NotFound for an object that does not exist', async () => {
    const { stderr, code } = await kubectl('get', 'pod', 'nope', '-n', 'app');
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      'Error from server (NotFound): pods "nope" not found',
    );
  });

  it('refuses a wrong token', async () => {
    const { stderr, code } = await kubectl(
      'get',
      'pods',
      '-n',
      'app',
      '--token',
      'wrong',
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Unauthorized|provide credentials/);
  });
});

describe('with @kubernetes/client-node', () => {
  it('lists pods by label selector, and namespaces it synthesised', async () => {
    const core = clientConfig().makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({
      namespace: 'app',
      labelSelector: 'app=app3',
    });
    expect(pods.items.map(p => p.metadata?.name)).toEqual([
      'app3-6c7d8e9f0-r5t7y',
    ]);
    expect(pods.items[0].status?.podIP).toBe('10.17.10.161');
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map(n => n.metadata?.name)).toEqual([
      'app',
      'default',
      'kube-system',
    ]);
  });

  it('pages with limit and continue', async () => {
    const core = clientConfig().makeApiClient(CoreV1Api);
    const first = await core.listPodForAllNamespaces({ limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.metadata?.remainingItemCount).toBe(3);
    const second = await core.listPodForAllNamespaces({
      limit: 4,
      _continue: first.metadata?._continue,
    });
    expect(second.items).toHaveLength(3);
    expect(second.metadata?._continue).toBeUndefined();
    expect(
      new Set([...first.items, ...second.items].map(p => p.metadata?.name))
        .size,
    ).toBe(7);
  });

  it('selects by field and reads one object', async () => {
    const kc = clientConfig();
    const slices = await kc
      .makeApiClient(DiscoveryV1Api)
      .listEndpointSliceForAllNamespaces({
        fieldSelector: 'metadata.namespace=kube-system',
      });
    expect(slices.items.map(s => s.metadata?.name).sort()).toEqual([
      'nginx-ingress-lb-7kq2w',
      'nginx-ingress-lb-internal-p9x4d',
    ]);
    const ingress = await kc
      .makeApiClient(NetworkingV1Api)
      .readNamespacedIngress({
        name: 'app3-service-ingress',
        namespace: 'app',
      });
    expect(ingress.spec?.ingressClassName).toBe('nginx-internal');
  });

  it('returns Kubernetes Status bodies for 404 and 401', async () => {
    const core = clientConfig().makeApiClient(CoreV1Api);
    await expect(
      core.readNamespacedPod({ name: 'nope', namespace: 'app' }),
    ).rejects.toMatchObject({
      code: 404,
      body: expect.stringContaining('"reason":"NotFound"'),
    });
    const anonymous = clientConfig('wrong').makeApiClient(CoreV1Api);
    await expect(
      anonymous.listNamespacedPod({ namespace: 'app' }),
    ).rejects.toMatchObject({ code: 401 });
  });
});

describe('injected faults', () => {
  afterEach(() => {
    cluster.setFaults([]);
    cluster.setLatency(0);
  });

  it('answers 500 and 403 with Status bodies where told to', async () => {
    cluster.setFaults([
      { path: '/namespaces/app/pods$', status: 500 },
      { path: '/nodes$', status: 403 },
    ]);
    const core = clientConfig().makeApiClient(CoreV1Api);
    await expect(
      core.listNamespacedPod({ namespace: 'app' }),
    ).rejects.toMatchObject({ code: 500 });
    await expect(core.listNode()).rejects.toMatchObject({
      code: 403,
      body: expect.stringContaining('"reason":"Forbidden"'),
    });
    // Paths not named still answer.
    expect(
      (await core.listNamespacedService({ namespace: 'app' })).items,
    ).toHaveLength(3);
  });

  it('sends a malformed body where told to', async () => {
    cluster.setFaults([{ path: '/pods$', malformed: true }]);
    await expect(
      clientConfig().makeApiClient(CoreV1Api).listPodForAllNamespaces(),
    ).rejects.toThrow();
  });

  it('adds latency, and can hang', async () => {
    cluster.setLatency(120);
    const core = clientConfig().makeApiClient(CoreV1Api);
    const started = Date.now();
    await core.listNamespacedService({ namespace: 'app' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    cluster.setLatency(0);
    cluster.setFaults([{ path: '/services$', hang: true }]);
    const outcome = await Promise.race([
      core.listNamespacedService({ namespace: 'app' }).then(() => 'answered'),
      new Promise(r => setTimeout(() => r('still waiting'), 500)),
    ]);
    expect(outcome).toBe('still waiting');
  });

  it('counts the requests it answered', async () => {
    const before = cluster.requests.length;
    await clientConfig()
      .makeApiClient(CoreV1Api)
      .listNamespacedService({ namespace: 'app' });
    expect(
      cluster.requests.slice(before).map(r => [r.method, r.path, r.status]),
    ).toEqual([['GET', '/api/v1/namespaces/app/services', 200]]);
  });
});
