/*
 * What the graph claims, checked on the seed clusters: hops top to bottom
 * in the order a packet crosses them, the ClusterIP aside when it is not on
 * the way, pods grouped and expandable, ACL badges on the hops that have
 * them; and, geometrically, on every scenario and on a long route, that no
 * edge crosses a node or another edge, no node covers another and no text
 * is wider than its node or cut without the whole text at hand.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Hop, Route } from '../model';
import { scenarioReport } from './__testUtils__/report';
import {
  edgeCrossings,
  edgesThroughNodes,
  overflowingText,
  overlappingNodes,
} from './__testUtils__/geometry';
import {
  GraphLayout,
  hopTitle,
  layoutRoute,
  MAX_EXPANDED_PODS,
  podSummary,
} from './layout';

const seed004 = scenarioReport(['seed-004/cluster']);
const byHost = (host: string) =>
  seed004.routes.find(r => r.entry.host === host)!;

/** A long way: app3's, with more hops of a kind the graph does not know, long labels and 40 pods. */
function longRoute(): Route {
  const route = byHost('app3.qas.abc.com');
  const pod = route.hops.find(h => h.kind === 'pod')!;
  if (pod.kind !== 'pod') throw new Error('no pod hop');
  const endpoints = Array.from({ length: 40 }, (_, i) => ({
    ...pod.endpoints[0],
    pod: `checkout-frontend-canary-7d9c5b8f6-${i}`,
    address: `10.244.${i >> 4}.${i}`,
    node: `ip-10-0-${i % 7}-17.eu-central-1.compute.internal`,
  }));
  const policies = Array.from(
    { length: 4 },
    (_, i) =>
      ({
        kind: 'network-policy',
        status: 'not-modelled',
        label: `NetworkPolicy app/allow-from-ingress-nginx-${i} selects the pods and allows ingress from namespace kube-system on port 8080/TCP only (podSelector app.kubernetes.io/name=ingress-nginx)`,
      } as unknown as Hop),
  );
  const hops = route.hops.flatMap(h => {
    if (h.kind === 'pod') return [...policies, { ...h, endpoints }];
    if (h.kind === 'load-balancer')
      return [
        {
          ...h,
          label: `${h.label} — ${'an annotation-heavy description '.repeat(6)}`,
        },
      ];
    return [h];
  });
  return { ...route, hops };
}

/** Everything wrong with a drawing's geometry; empty when it is right. */
const geometryProblems = (layout: GraphLayout) => [
  ...edgesThroughNodes(layout),
  ...edgeCrossings(layout),
  ...overlappingNodes(layout),
  ...overflowingText(layout),
];

const scenarioDir = resolve(__dirname, '../../../../test/scenarios');
/** Every scenario with a cluster to resolve (a few hold other inputs only). */
const allScenarios = readdirSync(scenarioDir, { withFileTypes: true })
  .filter(
    d =>
      d.isDirectory() &&
      !d.name.startsWith('_') &&
      existsSync(join(scenarioDir, d.name, 'cluster')),
  )
  .map(d => d.name);

describe('layoutRoute', () => {
  it('draws app1 top to bottom, one hop under the other, with the Service beside the pods', () => {
    const layout = layoutRoute(byHost('app1.qas.abc.com'));
    const onTheWay = layout.nodes.filter(n => !n.aside);
    expect(onTheWay.map(n => n.kind)).toEqual([
      'client',
      'dns',
      'load-balancer',
      'node-port',
      'kube-proxy',
      'ingress-controller',
      'ingress',
      'pod',
      'container',
    ]);
    expect(
      onTheWay.every(
        (n, i) => i === 0 || n.y >= onTheWay[i - 1].y + onTheWay[i - 1].height,
      ),
    ).toBe(true);
    const service = layout.nodes.find(n => n.kind === 'service')!;
    const ingress = layout.nodes.find(n => n.kind === 'ingress')!;
    const pods = layout.nodes.find(n => n.kind === 'pod')!;
    expect(service).toMatchObject({ aside: true, y: pods.y });
    expect(service.x).toBeGreaterThanOrEqual(pods.x + pods.width);
    // The way goes from the Ingress rule straight to the pods; the Service only lists them.
    expect(layout.edges.map(e => [e.from, e.to, e.style])).toEqual(
      expect.arrayContaining([
        [ingress.id, pods.id, 'path'],
        [service.id, pods.id, 'aside'],
      ]),
    );
    expect(
      layout.edges.filter(
        e =>
          e.to === service.id || (e.from === service.id && e.style === 'path'),
      ),
    ).toEqual([]);
    expect(geometryProblems(layout)).toEqual([]);
  });

  it('stands the Service beside the pods it lists even when a NetworkPolicy hop comes between', () => {
    const report = scenarioReport([
      '_shared/ingress-nginx.yaml',
      '_shared/shop-web.yaml',
      'network-policy-ingress-nginx/cluster',
    ]);
    const route = report.routes.find(r => r.id === 'ingress:shop/web:0:0')!;
    const kinds = route.hops.map(h => h.kind);
    expect(kinds.indexOf('network-policy')).toBeGreaterThan(
      kinds.indexOf('service'),
    );
    const layout = layoutRoute(route);
    const service = layout.nodes.find(n => n.kind === 'service')!;
    const pods = layout.nodes.find(n => n.kind === 'pod')!;
    expect(service).toMatchObject({ aside: true, y: pods.y });
    expect(layout.edges).toContainEqual(
      expect.objectContaining({
        from: service.id,
        to: pods.id,
        style: 'aside',
      }),
    );
  });

  it('keeps every fact of a hop: "externalTrafficPolicy Local" and "Alibaba Cloud" wrap onto lines, uncut', () => {
    const layout = layoutRoute(byHost('app3.qas.abc.com'), { width: 480 });
    const text = (kind: string) =>
      layout.nodes
        .find(n => n.kind === kind)!
        .lines.map(l => l.text)
        .join(' ');
    expect(text('node-port')).toContain('externalTrafficPolicy');
    expect(text('node-port')).toMatch(/Local|Cluster/);
    expect(text('load-balancer')).toContain('Alibaba Cloud ACL acl-2ze0app3');
    expect(layout.nodes.filter(n => n.cut)).toEqual([]);
    expect(
      layout.nodes.every(n => !n.lines.some(l => l.text.endsWith('…'))),
    ).toBe(true);
  });

  it.each(allScenarios)(
    'scenario %s: no edge crosses a node or another edge, no text overflows, at every width',
    name => {
      const report = scenarioReport([`${name}/cluster`]);
      const problems = report.routes.flatMap(route =>
        [320, 560, 900, 1400].flatMap(width =>
          [false, true].flatMap(expandedPods =>
            geometryProblems(layoutRoute(route, { width, expandedPods })).map(
              p => `${route.id} at ${width}px: ${p}`,
            ),
          ),
        ),
      );
      expect(problems).toEqual([]);
    },
  );

  it('draws a long route with unknown hop kinds and 40 pods without a crossing, keeping cut text whole in the label', () => {
    const route = longRoute();
    for (const width of [320, 700, 1200])
      for (const expandedPods of [false, true]) {
        const layout = layoutRoute(route, { width, expandedPods });
        expect(geometryProblems(layout)).toEqual([]);
        const policies = layout.nodes.filter(n => n.kind === 'network-policy');
        expect(policies).toHaveLength(4);
        expect(policies[0]).toMatchObject({
          title: 'Network policy',
          status: 'not-modelled',
        });
        // Too long for four lines in a narrow card: cut, and the label keeps it all.
        for (const n of layout.nodes.filter(x => x.cut))
          expect(n.label.length).toBeGreaterThan(
            n.lines
              .filter(l => l.role === 'label')
              .map(l => l.text)
              .join(' ').length,
          );
      }
    const narrow = layoutRoute(route, { width: 320 });
    expect(narrow.nodes.find(n => n.kind === 'load-balancer')!.cut).toBe(true);
    expect(narrow.width).toBeLessThanOrEqual(
      // the way and the Service beside it, at their smallest
      16 + 240 + 40 + 200 + 16,
    );
  });

  it('names hop kinds it does not know in their own words', () => {
    expect(hopTitle('network-policy')).toBe('Network policy');
    expect(hopTitle('ingress')).toBe('Ingress rule');
  });

  it('marks the public load balancer, and the cloud ACL of the internal one as not visible', () => {
    expect(
      layoutRoute(byHost('app1.qas.abc.com')).nodes.find(
        n => n.kind === 'load-balancer',
      )!.badges,
    ).toEqual([{ text: 'public', tone: 'deny' }]);
    const lb3 = layoutRoute(byHost('app3.qas.abc.com')).nodes.find(
      n => n.kind === 'load-balancer',
    )!;
    expect(lb3.badges).toEqual([
      { text: 'internal', tone: 'info' },
      {
        text: 'allow · Alibaba Cloud ACL acl-2ze0app3 (whitelist) (entries not visible)',
        tone: 'hidden',
      },
    ]);
    expect(lb3.lines.filter(l => l.role === 'badge').map(l => l.tone)).toEqual(
      expect.arrayContaining(['info', 'hidden']),
    );
  });

  it('groups pods ("2 pods on 2 nodes") and expands them inside the group, one node per pod', () => {
    const route = byHost('app1.qas.abc.com');
    const grouped = layoutRoute(route).nodes.filter(n => n.kind === 'pod');
    expect(grouped).toHaveLength(1);
    expect(grouped[0]).toMatchObject({
      label: '2 pods on 2 nodes',
      expandable: { expanded: false, count: 2 },
    });
    const layout = layoutRoute(route, { expandedPods: true });
    const group = layout.nodes.find(n => n.kind === 'pod' && !n.parent)!;
    const pods = layout.nodes.filter(n => n.parent === group.id);
    expect(pods.map(n => n.endpoint?.pod)).toEqual([
      'app1-7d9c5b8f6-k2x8p',
      'app1-7d9c5b8f6-m4n7q',
    ]);
    for (const p of pods) {
      expect(p.x).toBeGreaterThanOrEqual(group.x);
      expect(p.y + p.height).toBeLessThanOrEqual(group.y + group.height);
    }
    // Edges join the group, never a pod inside it.
    expect(
      layout.edges.filter(e =>
        pods.some(p => p.id === e.from || p.id === e.to),
      ),
    ).toEqual([]);
  });

  it(`shows at most ${MAX_EXPANDED_PODS} pods one by one, then "+N more"`, () => {
    const route = byHost('app1.qas.abc.com');
    const pod = route.hops.find(h => h.kind === 'pod')!;
    if (pod.kind !== 'pod') throw new Error('no pod hop');
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...pod.endpoints[0],
      pod: `web-${i}`,
      address: `10.0.${i >> 8}.${i & 255}`,
      node: `node-${i % 20}`,
    }));
    const big = {
      ...route,
      hops: route.hops.map(h =>
        h.kind === 'pod' ? { ...h, endpoints: many } : h,
      ),
    };
    expect(layoutRoute(big).nodes.find(n => n.kind === 'pod')!.label).toBe(
      '500 pods on 20 nodes',
    );
    const layout = layoutRoute(big, { expandedPods: true });
    const inGroup = layout.nodes.filter(n => n.parent);
    expect(inGroup).toHaveLength(MAX_EXPANDED_PODS + 1);
    expect(inGroup[inGroup.length - 1].label).toMatch(
      new RegExp(`^\\+${500 - MAX_EXPANDED_PODS} more pods`),
    );
    expect(geometryProblems(layout)).toEqual([]);
  });

  it('says how many pods are ready', () => {
    expect(
      podSummary([
        {
          address: '1',
          ready: true,
          serving: true,
          terminating: false,
          node: 'a',
        },
        {
          address: '2',
          ready: false,
          serving: false,
          terminating: false,
          node: 'a',
        },
      ]),
    ).toBe('1/2 pods ready on 1 node');
  });

  it('marks the hop that blocks the client of the verdict', () => {
    const report = scenarioReport(['seed-004/cluster'], {
      clientIp: '203.0.113.7',
      host: 'app3.qas.abc.com',
    });
    const route = report.routes.find(r => r.entry.host === 'app3.qas.abc.com')!;
    expect(route.verdict).toMatchObject({
      allowed: false,
      blockedAt: 'load-balancer',
    });
    const layout = layoutRoute(route);
    expect(layout.nodes.filter(n => n.blocks).map(n => n.kind)).toEqual([
      'load-balancer',
    ]);
    expect(
      layout.nodes.find(n => n.blocks)!.lines.some(l => l.role === 'blocks'),
    ).toBe(true);
  });
});
