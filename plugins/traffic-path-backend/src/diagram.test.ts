/*
 * The diagram endpoint in a real backend, against a demo cluster (a real
 * HTTPS Kubernetes API server over seed-004): the SVG a docs page embeds
 * (well-formed, self-contained, each hop and status word in it, light and
 * dark), the Mermaid and the Markdown, the same permission checks as the
 * routes, and clear errors naming the parameter or the route asked for.
 */
import { join, resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DemoCluster,
  kubernetesConfigFor,
  startDemoCluster,
} from '@internal/traffic-path-demo-cluster';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleTrafficPath from '@internal/plugin-kubernetes-backend-module-traffic-path';
import { trafficPathPlugin } from './plugin';
import { diagramCacheControl } from './service/diagram/diagram';
import { scenarioObjects } from './__testUtils__/scenarioObjects';

// The first request loads the Kubernetes client into the test runtime: seconds, once.
jest.setTimeout(30_000);

const scenarios = join(resolve(__dirname, '../../..'), 'test/scenarios');
const token = 'traffic-path-test';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/a' },
});

const entities = [
  component('app1', { 'backstage.io/kubernetes-id': 'app1' }),
  component('app3', { 'backstage.io/kubernetes-label-selector': 'app=app3' }),
  component('docs-site', {}),
];

let demo: DemoCluster;

const startBackend = (permission?: AuthorizeResult.DENY) =>
  startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleTrafficPath,
      trafficPathPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfigFor([
            {
              name: 'demo',
              url: demo.url,
              certificate: demo.certificate,
              token,
            },
          ]),
          // Generous: the first read loads the Kubernetes client on a busy machine.
          trafficPath: { clusterTimeoutSeconds: 15 },
        },
      }),
      ...(permission
        ? [mockServices.permissions.factory({ result: permission })]
        : []),
    ],
  });

const diagram = (backend: TestBackend, query: Record<string, string>) =>
  request(backend.server)
    .get('/api/traffic-path/v1/diagram')
    .query(query)
    .set('Authorization', mockCredentials.user.header())
    .buffer(true)
    .parse((res, done) => {
      // Every format as text, whatever its Content-Type.
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        text += chunk;
      });
      res.on('end', () => done(null, text));
    });

const app1 = {
  entityRef: 'component:default/app1',
  host: 'app1.qas.abc.com',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: name => ['g', 'text', 'rect'].includes(name),
});

function svgOf(body: string) {
  expect(XMLValidator.validate(body)).toBe(true);
  return parser.parse(body).svg;
}

const texts = (svg: any): string[] =>
  svg.g.flatMap((g: any) =>
    g.text.map((t: any) => (typeof t === 'string' ? t : String(t['#text']))),
  );

let backend: TestBackend;

beforeAll(async () => {
  demo = await startDemoCluster({
    objects: scenarioObjects(join(scenarios, 'seed-004/cluster')),
    token,
  });
  backend = await startBackend();
});

afterAll(async () => {
  await backend?.stop();
  await demo?.close();
});

describe('GET /v1/diagram', () => {
  it("draws app1's route as a self-contained SVG: each hop, its status word, a title", async () => {
    const res = await diagram(backend, app1);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    // Per user, and no fresher than the backend's cache of answers (30 s by default).
    expect(res.headers['cache-control']).toBe('private, max-age=30');
    expect(res.headers.vary).toContain('Authorization');
    const body = res.body as string;
    const svg = svgOf(body);
    expect(svg.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(svg['data-theme']).toBe('light');
    expect(svg.title).toEqual({
      '#text': 'Traffic path of app1.qas.abc.com/: healthy',
      id: 'tp-title',
    });
    const shown = texts(svg);
    expect(shown).toEqual(
      expect.arrayContaining([
        'Client',
        'DNS',
        'Load balancer',
        'Node port',
        'kube-proxy',
        'Ingress controller',
        'Ingress rule',
        'Service',
        'Pods',
        'Containers',
        '✓ ok',
        'public',
        '2 pods on 2 nodes',
      ]),
    );
    expect(shown.join(' ')).toContain('app1.qas.abc.com');
    expect(body).not.toMatch(/undefined|NaN|var\(|<style|href=/);
  });

  it('draws the dark variant on the dark ground', async () => {
    const res = await diagram(backend, { ...app1, theme: 'dark' });
    expect(res.status).toBe(200);
    const svg = svgOf(res.body);
    expect(svg['data-theme']).toBe('dark');
    expect(svg.rect.find((r: any) => r.class === 'tp-ground').fill).toBe(
      '#333333',
    );
  });

  it('answers Mermaid as text and Markdown with the hop table, findings and commands', async () => {
    const mermaid = await diagram(backend, { ...app1, format: 'mermaid' });
    expect(mermaid.status).toBe(200);
    expect(mermaid.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(mermaid.body).toMatch(/^flowchart LR\n/);
    expect(mermaid.body).toContain('app1.qas.abc.com');

    const md = await diagram(backend, { ...app1, format: 'markdown' });
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain('## app1.qas.abc.com');
    expect(md.body).toContain('| step | from | to | what happens |');
    expect(md.body).toContain('## Findings');
    expect(md.body).toContain('## Check each hop by hand');
    expect(md.body).toContain('dig +short app1.qas.abc.com A');
    expect(md.body).not.toContain('undefined');
  });

  it('finds a route by its id as the routes API gives it', async () => {
    const routes = await request(backend.server)
      .get('/api/traffic-path/v1/routes')
      .query({ entityRef: 'component:default/app3' })
      .set('Authorization', mockCredentials.user.header());
    const route = routes.body.clusters[0].report.routes[0];
    const res = await diagram(backend, {
      entityRef: 'component:default/app3',
      route: route.id,
      format: 'mermaid',
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain(route.entry.host);
  });

  it('matches the host whatever its case, within the cluster asked for', async () => {
    const res = await diagram(backend, {
      ...app1,
      host: 'APP1.qas.abc.com',
      cluster: 'demo',
      format: 'mermaid',
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('app1.qas.abc.com');
    const elsewhere = await diagram(backend, { ...app1, cluster: 'prod' });
    expect(elsewhere.status).toBe(404);
    expect(JSON.parse(elsewhere.body).error.message).toContain(
      'cluster "prod"',
    );
  });

  it.each([
    [{ ...app1, format: 'png' }, 'format'],
    [{ ...app1, theme: 'sepia' }, 'theme'],
    [{ host: 'app1.qas.abc.com' }, 'entityRef'],
  ])('answers 400 naming the parameter for %j', async (query, name) => {
    const res = await diagram(backend, query);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toContain(name);
  });

  it('answers 404 naming the host and path that match no route, and the routes there are', async () => {
    const res = await diagram(backend, {
      ...app1,
      host: 'nope.example.com',
    });
    expect(res.status).toBe(404);
    const message = JSON.parse(res.body).error.message;
    expect(message).toContain('host "nope.example.com"');
    expect(message).toContain('app1.qas.abc.com');

    const path = await diagram(backend, { ...app1, path: '/nowhere' });
    expect(path.status).toBe(404);
    expect(JSON.parse(path.body).error.message).toContain('path "/nowhere"');

    const bare = await diagram(backend, {
      entityRef: 'component:default/docs-site',
    });
    expect(bare.status).toBe(404);
    expect(JSON.parse(bare.body).error.message).toContain(
      'backstage.io/kubernetes-id',
    );
  });

  it('asks for a Backstage token and for the same permissions as the routes', async () => {
    const anonymous = await request(backend.server)
      .get('/api/traffic-path/v1/diagram')
      .query(app1)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    const denied = await startBackend(AuthorizeResult.DENY);
    try {
      const res = await diagram(denied, app1);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).error.message).toBe(
        'Traffic Path needs the permissions kubernetes.resources.read and kubernetes.proxy',
      );
    } finally {
      await denied.stop();
    }
  });
});

describe('diagramCacheControl', () => {
  it('keeps a diagram per user, as long as the backend keeps its answer', () => {
    expect(diagramCacheControl(45)).toBe('private, max-age=45');
    expect(diagramCacheControl(0)).toBe('private, no-cache');
  });
});
