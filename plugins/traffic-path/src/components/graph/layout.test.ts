/*
 * What the graph claims, checked on the seed clusters: columns in the order
 * a packet crosses them, the ClusterIP aside when it is not on the way,
 * pods grouped and expandable, ACL badges on the hops that have them.
 */
import { scenarioReport } from '../../__testUtils__/scenarios';
import {
  columnsThatFit,
  layoutRoute,
  MAX_EXPANDED_PODS,
  NODE_HEIGHT,
  podSummary,
} from './layout';

const seed004 = scenarioReport(['seed-004/cluster']);
const byHost = (host: string) =>
  seed004.routes.find(r => r.entry.host === host)!;

describe('layoutRoute', () => {
  it('draws app1 left to right, one column per hop, with the Service aside', () => {
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
    expect(onTheWay.every((n, i) => i === 0 || n.x > onTheWay[i - 1].x)).toBe(
      true,
    );
    const service = layout.nodes.find(n => n.kind === 'service')!;
    expect(service).toMatchObject({ aside: true });
    expect(service.y).toBeGreaterThan(onTheWay[0].y);
    // The way goes from the Ingress rule straight to the pods; the Service only lists them.
    const ingress = layout.nodes.find(n => n.kind === 'ingress')!;
    const pods = layout.nodes.find(n => n.kind === 'pod')!;
    expect(layout.edges).toContainEqual({
      from: ingress.id,
      to: pods.id,
      style: 'path',
    });
    expect(layout.edges).toContainEqual({
      from: service.id,
      to: pods.id,
      style: 'aside',
    });
    expect(
      layout.edges.filter(
        e =>
          e.to === service.id || (e.from === service.id && e.style === 'path'),
      ),
    ).toEqual([]);
  });

  it('wraps a long way into bands when the page is narrower than the whole way, keeping its order', () => {
    const route = byHost('app1.qas.abc.com');
    const single = layoutRoute(route);
    const banded = layoutRoute(route, { columnsPerBand: 4 });
    expect(banded.width).toBeLessThan(single.width);
    expect(banded.height).toBeGreaterThan(single.height);
    // Ten hops, four per band: three bands, read left to right, then down.
    const tops = [
      ...new Set(banded.nodes.filter(n => !n.aside).map(n => n.y)),
    ].sort((a, b) => a - b);
    expect(tops).toHaveLength(3);
    const order = banded.nodes.filter(n => !n.aside).map(n => n.kind);
    expect(order).toEqual(single.nodes.filter(n => !n.aside).map(n => n.kind));
    const kube = banded.nodes.find(n => n.kind === 'node-port')!;
    const proxy = banded.nodes.find(n => n.kind === 'kube-proxy')!;
    expect(proxy.y).toBeGreaterThan(kube.y + NODE_HEIGHT);
    // The edge into the next band runs along the gap between them.
    const wrap = banded.edges.find(
      e => e.from === kube.id && e.to === proxy.id,
    )!;
    expect(wrap.wrapY).toBeGreaterThan(kube.y + NODE_HEIGHT);
    expect(wrap.wrapY).toBeLessThan(proxy.y);
    // Into the third band: the way from the Ingress rule to the pods, and the Service's aside link.
    expect(
      banded.edges.filter(e => e.wrapY !== undefined).map(e => e.style),
    ).toEqual(['path', 'path', 'aside']);
    expect(single.edges.every(e => e.wrapY === undefined)).toBe(true);
  });

  it('fits as many columns as the page allows at natural size, at least two', () => {
    expect(columnsThatFit(990)).toBe(4);
    expect(columnsThatFit(2400)).toBe(10);
    expect(columnsThatFit(300)).toBe(2);
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
  });

  it('groups pods ("2 pods on 2 nodes") and expands them one node per pod', () => {
    const route = byHost('app1.qas.abc.com');
    const grouped = layoutRoute(route).nodes.filter(n => n.kind === 'pod');
    expect(grouped).toHaveLength(1);
    expect(grouped[0]).toMatchObject({
      label: '2 pods on 2 nodes',
      expandable: { expanded: false, count: 2 },
    });
    const expanded = layoutRoute(route, { expandedPods: true }).nodes.filter(
      n => n.kind === 'pod',
    );
    expect(expanded.map(n => n.endpoint?.pod)).toEqual([
      'app1-7d9c5b8f6-k2x8p',
      'app1-7d9c5b8f6-m4n7q',
    ]);
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
    const expanded = layoutRoute(big, { expandedPods: true }).nodes.filter(
      n => n.kind === 'pod',
    );
    expect(expanded).toHaveLength(MAX_EXPANDED_PODS + 1);
    expect(expanded[expanded.length - 1].label).toBe(
      `+${500 - MAX_EXPANDED_PODS} more pods`,
    );
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
    expect(
      layoutRoute(route)
        .nodes.filter(n => n.blocks)
        .map(n => n.kind),
    ).toEqual(['load-balancer']);
  });
});
