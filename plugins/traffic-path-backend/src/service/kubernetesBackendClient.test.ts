/*
 * The client against a stand-in for the Kubernetes backend: which way the
 * reads go (module or proxy), decided by the module's capabilities and
 * asked again when the module goes away, whichever of its routes (the
 * lists, the live model's pages and watches) finds it gone.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ClusterRead } from '@internal/plugin-traffic-path-common';
import { DEFAULT_READ_LIMITS } from '@internal/plugin-traffic-path-node';
import { createKubernetesBackendClient } from './kubernetesBackendClient';
import { createModuleDetector, probeModule } from './moduleDetector';

type Seen = { method: string; url: string };

/** Serves capabilities and lists while `module` is on, and the proxy always. */
async function startKubernetesBackend() {
  const state = {
    module: true,
    /** The status the module's lists and watch routes answer with instead. */
    fail: undefined as number | undefined,
    seen: [] as Seen[],
  };
  const body = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return JSON.parse(text);
  };
  const server: Server = createServer(async (req, res) => {
    const url = req.url ?? '';
    state.seen.push({ method: req.method ?? '', url });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url === '/traffic-path/v1/capabilities' && state.module)
      return json(200, {
        lists: { version: 1, maxReads: 2, pageSize: 500, maxBytes: 1 << 20 },
      });
    if (
      (url === '/traffic-path/v1/lists' || url === '/traffic-path/v1/watch') &&
      state.module &&
      state.fail
    )
      return json(state.fail, { error: { message: 'the module failed' } });
    if (url === '/traffic-path/v1/watch' && state.module) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        `${JSON.stringify({
          type: 'ADDED',
          object: { metadata: { name: 'web', resourceVersion: '2' } },
        })}\n`,
      );
      return undefined;
    }
    if (url === '/traffic-path/v1/lists' && state.module) {
      const { cluster, reads } = await body(req);
      if (cluster !== 'prod')
        return json(404, {
          error: { message: `Cluster ${cluster} not found` },
        });
      return json(200, {
        results: reads.map((r: { path: string }) => ({
          status: 200,
          pages: 1,
          body: { items: [{ metadata: { name: r.path } }] },
        })),
      });
    }
    if (url.startsWith('/proxy/')) {
      const page = new URL(url, 'http://x').searchParams.get('continue');
      return json(200, {
        metadata: page ? {} : { continue: 'next' },
        items: [{ metadata: { name: `${page ?? 'first'}` } }],
      });
    }
    return json(404, { error: { message: 'Not found' } });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { state, base, close: () => new Promise(r => server.close(r)) };
}

const reads: ClusterRead[] = [
  { path: '/api/v1/services', kind: 'Service' },
  { path: '/api/v1/nodes', kind: 'Node' },
  { path: '/api/v1/namespaces', kind: 'Namespace' },
];

describe('createKubernetesBackendClient', () => {
  let backend: Awaited<ReturnType<typeof startKubernetesBackend>>;
  beforeEach(async () => {
    backend = await startKubernetesBackend();
  });
  afterEach(() => backend.close());

  const clientOf = (recheckMs = 60_000) => {
    const discovery = {
      getBaseUrl: async () => backend.base,
      getExternalBaseUrl: async () => backend.base,
    };
    const auth = mockServices.auth();
    return createKubernetesBackendClient({
      discovery,
      auth,
      limits: DEFAULT_READ_LIMITS,
      module: createModuleDetector({
        probe: probeModule({ discovery, auth, timeoutMs: 1000 }),
        recheckMs,
      }),
    });
  };
  const options = { credentials: mockCredentials.user() };
  const posts = () =>
    backend.state.seen.filter(s => s.url === '/traffic-path/v1/lists').length;
  const proxied = () =>
    backend.state.seen.filter(s => s.url.startsWith('/proxy/')).length;

  it('reads through the module when it says it is there, in requests of its maxReads', async () => {
    const outcomes = await clientOf().readMany('prod', reads, options);
    expect(outcomes.map(o => 'objects' in o && o.objects[0].kind)).toEqual([
      'Service',
      'Node',
      'Namespace',
    ]);
    expect(posts()).toBe(2);
    expect(proxied()).toBe(0);
  });

  it('reads through the proxy, page by page, without the module', async () => {
    backend.state.module = false;
    const outcomes = await clientOf().readMany('prod', reads, options);
    expect(outcomes[0]).toEqual({
      objects: [
        { metadata: { name: 'first' }, kind: 'Service' },
        { metadata: { name: 'next' }, kind: 'Service' },
      ],
      pages: 2,
    });
    expect(posts()).toBe(0);
    expect(
      backend.state.seen.filter(s =>
        s.url.startsWith('/proxy/api/v1/services'),
      ),
    ).toEqual([
      { method: 'GET', url: '/proxy/api/v1/services?limit=500' },
      { method: 'GET', url: '/proxy/api/v1/services?limit=500&continue=next' },
    ]);
  });

  it('asks again when the module goes away, and reads through the proxy then', async () => {
    const client = clientOf();
    await client.readMany('prod', reads.slice(0, 1), options);
    backend.state.module = false;
    const outcomes = await client.readMany('prod', reads.slice(0, 1), options);
    expect('objects' in outcomes[0]).toBe(true);
    expect(proxied()).toBeGreaterThan(0);
    const capabilities = backend.state.seen.filter(
      s => s.url === '/traffic-path/v1/capabilities',
    );
    expect(capabilities).toHaveLength(2);
  });

  it('finds a module installed later, after the recheck time', async () => {
    backend.state.module = false;
    const client = clientOf(0);
    await client.readMany('prod', reads.slice(0, 1), options);
    backend.state.module = true;
    await client.readMany('prod', reads.slice(0, 1), options);
    expect(posts()).toBe(1);
  });

  it('tells an unknown cluster from a missing module by the capabilities, not by the error text', async () => {
    await expect(
      clientOf().readMany('staging', reads.slice(0, 1), options),
    ).rejects.toMatchObject({
      name: 'ClusterCallError',
      reason: 'error',
      status: 404,
      message: 'the Kubernetes backend has no cluster staging',
    });
    expect(proxied()).toBe(0);
  });

  describe("on the live model's routes", () => {
    const capabilities = () =>
      backend.state.seen.filter(s => s.url === '/traffic-path/v1/capabilities')
        .length;
    const watchOptions = () => ({
      resourceVersion: '1',
      signal: new AbortController().signal,
      timeoutSeconds: 5,
      idleMs: 5000,
    });
    const watchAll = async (
      client: ReturnType<typeof clientOf>,
    ): Promise<unknown[]> => {
      const events: unknown[] = [];
      for await (const e of client.moduleWatch!(
        'prod',
        reads[0],
        watchOptions(),
        mockCredentials.service(),
      ))
        events.push(e);
      return events;
    };

    it('watches through the module', async () => {
      expect(await watchAll(clientOf())).toEqual([
        {
          type: 'ADDED',
          object: { metadata: { name: 'web', resourceVersion: '2' } },
        },
      ]);
    });

    it.each([404, 500, 503])(
      'forgets the module when a page read through it answers %s, and asks again',
      async status => {
        const client = clientOf();
        await client.readMany('prod', reads.slice(0, 1), options);
        expect(capabilities()).toBe(1);
        backend.state.fail = status;
        const page = await client.modulePage!(
          'prod',
          reads[0],
          undefined,
          options,
        );
        expect(page.status).toBe(status);
        backend.state.fail = undefined;
        await client.readMany('prod', reads.slice(0, 1), options);
        expect(capabilities()).toBe(2);
      },
    );

    it.each([404, 500, 503])(
      'forgets the module when a watch through it answers %s, and asks again',
      async status => {
        const client = clientOf();
        await client.readMany('prod', reads.slice(0, 1), options);
        backend.state.fail = status;
        await expect(watchAll(client)).rejects.toMatchObject({
          name: 'ReadError',
          status,
        });
        backend.state.fail = undefined;
        await client.readMany('prod', reads.slice(0, 1), options);
        expect(capabilities()).toBe(2);
      },
    );

    it('keeps what it knows of the module when a watch is refused (403) or gone (410)', async () => {
      const client = clientOf();
      await client.readMany('prod', reads.slice(0, 1), options);
      for (const status of [403, 410]) {
        backend.state.fail = status;
        await expect(watchAll(client)).rejects.toMatchObject({ status });
      }
      backend.state.fail = undefined;
      await client.readMany('prod', reads.slice(0, 1), options);
      expect(capabilities()).toBe(1);
    });

    it('finds the module gone after a page read through it fails', async () => {
      const client = clientOf();
      await client.readMany('prod', reads.slice(0, 1), options);
      backend.state.module = false;
      const page = await client.modulePage!(
        'prod',
        reads[0],
        undefined,
        options,
      );
      expect(page.status).toBe(404);
      const postsBefore = posts();
      await client.readMany('prod', reads.slice(0, 1), options);
      // Not through the module, asked first whether it is there.
      expect(proxied()).toBeGreaterThan(0);
      expect(posts()).toBe(postsBefore);
    });
  });
});
