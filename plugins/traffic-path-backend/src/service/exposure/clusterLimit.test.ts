import { ClusterRead } from '@internal/plugin-traffic-path-common';
import { mockCredentials } from '@backstage/backend-test-utils';
import { KubernetesBackendClient } from '../kubernetesBackendClient';
import { limitPerCluster } from './clusterLimit';

describe('limitPerCluster', () => {
  it('keeps at most n reads in flight per cluster, answers in order, and lets clusters run side by side', async () => {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const client: KubernetesBackendClient = {
      clusters: async () => [],
      async readMany(cluster, reads) {
        const now = (inFlight.get(cluster) ?? 0) + reads.length;
        inFlight.set(cluster, now);
        peak.set(cluster, Math.max(peak.get(cluster) ?? 0, now));
        await new Promise(r => setTimeout(r, 5));
        inFlight.set(cluster, inFlight.get(cluster)! - reads.length);
        return reads.map(r => ({ ok: true, items: [], read: r } as any));
      },
    };
    const limited = limitPerCluster(client, 8);
    const reads = (k: number) =>
      Array.from(
        { length: k },
        (_, i) => ({ kind: `K${i}` } as unknown as ClusterRead),
      );
    const options = { credentials: mockCredentials.service() };
    const results = await Promise.all([
      limited.readMany('a', reads(27), options),
      ...Array.from({ length: 20 }, () =>
        limited.readMany('a', reads(1), options),
      ),
      limited.readMany('b', reads(27), options),
    ]);
    expect(peak.get('a')).toBe(8);
    expect(peak.get('b')).toBe(8);
    expect((results[0] as any[]).map(r => r.read.kind)).toEqual(
      reads(27).map((r: any) => r.kind),
    );
  });
});
