/*
 * The demo cluster in its own process, driven over its control endpoints;
 * and those endpoints refusing changes unless they were turned on.
 */
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { loadInputs } from '@internal/traffic-path-cli';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { DemoClusterProcess, startDemoClusterProcess } from './process';
import { DemoCluster, startDemoCluster } from './server';
import { getJson, openWatch } from './__testUtils__/watchStream';

const root = resolve(__dirname, '../../..');
const seed004 = loadInputs([
  join(root, 'test/scenarios/seed-004/cluster'),
]).objects;
const token = 'process-token';

describe('startDemoClusterProcess', () => {
  let child: DemoClusterProcess;
  afterEach(() => child?.close());

  it('serves the objects from another process, and takes changes, faults and counts over HTTP', async () => {
    child = await startDemoClusterProcess({ objects: seed004, token });
    expect(child.pid).not.toBe(process.pid);
    // Tests read it as they read one in this process.
    const asCluster = {
      url: child.url,
      certificate: child.certificate,
    } as DemoCluster;
    const list = await getJson(asCluster, '/api/v1/namespaces/app/pods', token);
    expect(list.body.items).toHaveLength(4);
    const watch = await openWatch(
      asCluster,
      `/api/v1/namespaces/app/pods?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      token,
    );
    const p = list.body.items[0] as KubeObject;
    const changes = await child.apply([
      { ...p, status: { ...(p.status as object), phase: 'Failed' } },
    ]);
    expect(changes).toEqual([
      expect.objectContaining({ type: 'MODIFIED', name: p.metadata.name }),
    ]);
    const [event] = await watch.waitFor(1);
    expect(event.type).toBe('MODIFIED');
    expect(event.object.metadata.resourceVersion).toBe(
      changes[0].resourceVersion,
    );
    await expect(
      child.remove([{ kind: 'Pod', namespace: 'app', name: 'nope' }]),
    ).rejects.toThrow('remove: pods app/nope does not exist');
    expect(await child.endWatches('drop')).toBe(1);
    expect(await watch.ended).toBe('cut');
    await child.setFaults([{ path: '/services$', status: 500 }]);
    expect((await getJson(asCluster, '/api/v1/services', token)).status).toBe(
      500,
    );
    const counts = await child.requestCounts();
    expect(counts.byVerbAndPath).toEqual({
      'list /api/v1/namespaces/app/pods': 1,
      'watch /api/v1/namespaces/app/pods': 1,
      'list /api/v1/services': 1,
    });
  }, 60_000);
});

describe('control endpoints in this process', () => {
  let cluster: DemoCluster;
  afterEach(() => cluster.close());

  it('refuse changes unless turned on, and want the token', async () => {
    cluster = await startDemoCluster({ objects: seed004, token });
    const post = (path: string, auth = token) =>
      new Promise<number>((done, fail) =>
        request(
          `${cluster.url}${path}`,
          {
            method: 'POST',
            ca: cluster.certificate,
            headers: { Authorization: `Bearer ${auth}` },
          },
          res => {
            res.resume();
            done(res.statusCode ?? 0);
          },
        )
          .on('error', fail)
          .end('[]'),
      );
    expect(await post('/demo-cluster/apply')).toBe(403);
    expect(await post('/demo-cluster/apply', 'wrong')).toBe(401);
    expect(await post('/demo-cluster/nothing')).toBe(404);
    expect(cluster.requestCounts().total).toBe(0);
    // Making the certificate takes a few seconds on a busy machine.
  }, 30_000);
});
