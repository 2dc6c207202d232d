/*
 * Live mode's reading of a cluster, against the demo cluster: through a
 * kubeconfig, every list in full page by page, and the shared read policy.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DemoCluster,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { loadInputs } from './files';
import { LiveInputError, readLiveCluster } from './live';

const root = resolve(__dirname, '../../..');
let cluster: DemoCluster;
let kubeconfig: string;

function writeKubeconfig(token: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tp-live-')), 'config');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'demo',
          cluster: {
            server: cluster.url,
            'certificate-authority-data': Buffer.from(
              cluster.certificate!,
            ).toString('base64'),
          },
        },
      ],
      users: [{ name: 'reader', user: { token } }],
      contexts: [
        { name: 'demo', context: { cluster: 'demo', user: 'reader' } },
      ],
      'current-context': 'demo',
    }),
  );
  return file;
}

beforeAll(async () => {
  cluster = await startDemoCluster({
    objects: loadInputs([join(root, 'test/scenarios/seed-004/cluster')])
      .objects,
    token: 'live',
  });
  kubeconfig = writeKubeconfig('live');
});
afterAll(() => cluster?.close());
afterEach(() => cluster.setFaults([]));

describe('readLiveCluster', () => {
  it('reads every list in full, in pages of the given size', async () => {
    const whole = await readLiveCluster({ kubeconfig });
    const before = cluster.requests.length;
    const paged = await readLiveCluster({
      kubeconfig,
      limits: { pageSize: 2, maxBytes: 64 * 1024 * 1024 },
    });
    const names = (r: typeof whole) =>
      r.load.objects.map(o => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(paged)).toEqual(names(whole));
    expect(paged.warnings).toEqual([]);
    const pods = cluster.requests
      .slice(before)
      .filter(
        r => r.path === '/api/v1/pods' && !r.query.includes('labelSelector'),
      );
    const podCount = whole.load.objects.filter(o => o.kind === 'Pod').length;
    expect(pods.length).toBe(Math.ceil(podCount / 2));
    expect(paged.load.listedKinds.has('Pod')).toBe(true);
    expect(paged.load.listedKinds.has('NetworkPolicy')).toBe(true);
  });

  it('warns about an optional read that fails, and its kind is not listed in full', async () => {
    cluster.setFaults([{ path: '^/api/v1/nodes$', status: 403 }]);
    const live = await readLiveCluster({ kubeconfig });
    expect(live.warnings).toEqual([
      expect.stringMatching(
        /^cluster demo \(https:\/\/127\.0\.0\.1:\d+\): GET \/api\/v1\/nodes: HTTP 403 .* \(checks that need it are skipped\)$/,
      ),
    ]);
    expect(live.load.listedKinds.has('Node')).toBe(false);
  });

  it('says nothing of CRDs the cluster does not have', async () => {
    const live = await readLiveCluster({ kubeconfig });
    expect(live.warnings).toEqual([]);
    expect(live.load.listedKinds.has('VirtualService')).toBe(false);
  });

  it('fails with a LiveInputError naming the cluster and the read when Services cannot be read', async () => {
    cluster.setFaults([{ path: '^/api/v1/services$', status: 500 }]);
    await expect(readLiveCluster({ kubeconfig })).rejects.toThrow(
      LiveInputError,
    );
    await expect(readLiveCluster({ kubeconfig })).rejects.toThrow(
      /^cluster demo \(.*\): GET \/api\/v1\/services: HTTP 500/,
    );
  });

  it('names the read and the bound when a list is larger than the bound', async () => {
    const live = await readLiveCluster({
      kubeconfig,
      limits: { pageSize: 500, maxBytes: 200 },
    }).catch(e => e);
    // Services are larger than that: the required read fails.
    expect(live).toBeInstanceOf(LiveInputError);
    expect(live.message).toMatch(
      /GET \/api\/v1\/services: an answer larger than 200 bytes, the bound of one read$/,
    );
  });

  it('refuses a wrong token as the API server does', async () => {
    await expect(
      readLiveCluster({ kubeconfig: writeKubeconfig('wrong') }),
    ).rejects.toThrow(/GET \/api\/v1\/services: HTTP 401/);
  });

  it('names the contexts a kubeconfig has when asked for another', async () => {
    await expect(
      readLiveCluster({ kubeconfig, context: 'prod' }),
    ).rejects.toThrow(`context "prod" is not in ${kubeconfig} (it has: demo)`);
  });
});
