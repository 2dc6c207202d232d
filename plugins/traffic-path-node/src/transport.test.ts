/*
 * The reader against a real (demo) API server: HTTPS with its CA and a
 * bearer token from a kubeconfig, pages, bounds and timeouts.
 */
import { Agent } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import {
  DemoCluster,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { readList } from './listReader';
import {
  apiServerOfKubeConfig,
  boundedText,
  fetchPages,
  httpsPages,
} from './transport';

const pods: KubeObject[] = Array.from({ length: 7 }, (_, i) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `web-${i}`, namespace: 'shop', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
}));
const podRead: ClusterRead = {
  path: '/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb',
  kind: 'Pod',
};

let cluster: DemoCluster;
beforeAll(async () => {
  cluster = await startDemoCluster({ objects: pods, token: 'reader' });
});
afterAll(() => cluster?.close());
afterEach(() => cluster.setFaults([]));

function kubeConfig(token = 'reader'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    {
      name: 'demo',
      server: cluster.url,
      caData: Buffer.from(cluster.certificate!).toString('base64'),
      skipTLSVerify: false,
    },
    { name: 'reader', token },
  );
  return kc;
}

const names = (outcome: Awaited<ReturnType<typeof readList>>) =>
  'objects' in outcome
    ? outcome.objects.map(o => o.metadata.name)
    : outcome.error.message;

describe('httpsPages', () => {
  it("reads a list in pages, with the kubeconfig's CA and token and a kept-alive agent", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = cluster.requests.length;
    const outcome = await readList(
      podRead,
      httpsPages(apiServerOfKubeConfig(kubeConfig(), agent), 5000),
      { pageSize: 3, maxBytes: 1024 * 1024 },
    );
    agent.destroy();
    expect(names(outcome)).toEqual(pods.map(p => p.metadata.name));
    expect(cluster.requests.slice(before).map(r => r.query)).toEqual([
      '?labelSelector=app%3Dweb&limit=3',
      expect.stringMatching(/^\?labelSelector=app%3Dweb&limit=3&continue=./),
      expect.stringMatching(/^\?labelSelector=app%3Dweb&limit=3&continue=./),
    ]);
  });

  it('names the read and the bound when a body is larger than the bound', async () => {
    const outcome = await readList(
      podRead,
      httpsPages(apiServerOfKubeConfig(kubeConfig()), 5000),
      { pageSize: 0, maxBytes: 1000 },
    );
    expect('error' in outcome && outcome.error).toMatchObject({
      problem: 'too-large',
      message: `GET ${podRead.path}: an answer larger than 1000 bytes, the bound of one read`,
    });
  });

  it('passes the status and message of a refusal on', async () => {
    const outcome = await readList(
      podRead,
      httpsPages(apiServerOfKubeConfig(kubeConfig('wrong')), 5000),
      { pageSize: 3, maxBytes: 1024 * 1024 },
    );
    expect('error' in outcome && outcome.error).toMatchObject({
      problem: 'status',
      status: 401,
    });
  });

  it('gives up on a server that does not answer in time', async () => {
    cluster.setFaults([{ path: '/pods$', hang: true }]);
    const started = Date.now();
    const outcome = await readList(
      podRead,
      httpsPages(apiServerOfKubeConfig(kubeConfig()), 300),
      { pageSize: 3, maxBytes: 1024 * 1024 },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect('error' in outcome && outcome.error).toMatchObject({
      problem: 'timeout',
      message: `GET ${podRead.path}: no answer within 0.3 s`,
    });
  });

  it('stops on an abort signal', async () => {
    cluster.setFaults([{ path: '/pods$', hang: true }]);
    const outcome = await readList(
      podRead,
      httpsPages(apiServerOfKubeConfig(kubeConfig()), 30_000),
      {
        pageSize: 3,
        maxBytes: 1024 * 1024,
        signal: AbortSignal.timeout(200),
      },
    );
    expect('error' in outcome && outcome.error.problem).toBe('timeout');
  });
});

describe('fetchPages', () => {
  let plain: DemoCluster;
  beforeAll(async () => {
    plain = await startDemoCluster({ objects: pods, insecureHttp: true });
  });
  afterAll(() => plain?.close());

  it('reads pages with fetch, bounded as well', async () => {
    const getPage = fetchPages(plain.url, {});
    const whole = await readList(podRead, getPage, {
      pageSize: 4,
      maxBytes: 1024 * 1024,
    });
    expect(names(whole)).toHaveLength(7);
    const bounded = await readList(podRead, getPage, {
      pageSize: 4,
      maxBytes: 2000,
    });
    expect('error' in bounded && bounded.error.problem).toBe('too-large');
  });
});

describe('boundedText', () => {
  async function* chunks(...parts: (Uint8Array | string)[]) {
    yield* parts;
  }

  it('keeps a character whose bytes are split between chunks', async () => {
    const bytes = Buffer.from('{"name":"café-ü"}', 'utf8');
    // Cut inside the two bytes of "é"; the second part as a plain Uint8Array (fetch's chunks).
    const cut = bytes.indexOf(0xc3) + 1;
    const text = await boundedText(
      chunks(bytes.subarray(0, cut), new Uint8Array(bytes.subarray(cut))),
      1024,
      '/api/v1/pods',
    );
    expect(JSON.parse(text)).toEqual({ name: 'café-ü' });
  });

  it('counts bytes, not characters, against the bound', async () => {
    await expect(
      boundedText(chunks('ü'.repeat(6)), 11, '/api/v1/pods'),
    ).rejects.toThrow(/larger than 11 bytes/);
    await expect(
      boundedText(chunks('ü'.repeat(5), Buffer.from('x')), 11, '/api/v1/pods'),
    ).resolves.toBe(`${'ü'.repeat(5)}x`);
  });
});
