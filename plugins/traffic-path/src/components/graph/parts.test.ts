/*
 * The pure parts of the drawing besides the layout: what a node says to a
 * screen reader and in its tooltip (everything, uncut), and the zoom it
 * starts at.
 */
import { scenarioReport } from '../../__testUtils__/scenarios';
import { layoutRoute } from '@internal/plugin-traffic-path-common';
import { nodeDescription } from './NodeView';
import { initialScale, MIN_INITIAL_SCALE } from './useZoom';

describe('nodeDescription', () => {
  const report = scenarioReport(['seed-004/cluster'], {
    clientIp: '203.0.113.7',
    host: 'app3.qas.abc.com',
  });
  const route = report.routes.find(r => r.entry.host === 'app3.qas.abc.com')!;

  it('says everything a node shows, with badges and the blocking verdict, even when its lines are cut', () => {
    const narrow = layoutRoute(
      {
        ...route,
        hops: route.hops.map(h =>
          h.kind === 'load-balancer'
            ? {
                ...h,
                label: `${h.label} ${'and a very long note '.repeat(12)}`,
              }
            : h,
        ),
      },
      { width: 320 },
    );
    const lb = narrow.nodes.find(n => n.kind === 'load-balancer')!;
    expect(lb.cut).toBe(true);
    const said = nodeDescription(lb);
    expect(said).toContain(lb.label);
    expect(said).toMatch(
      /^Load balancer: ok\. internal load balancer 10\.17\.0\.200/,
    );
    expect(said).toContain('Alibaba Cloud ACL acl-2ze0app3 (whitelist)');
    expect(said).toContain('Blocks the client.');
  });

  it('says when a Service is not on the way', () => {
    const service = layoutRoute(route).nodes.find(n => n.kind === 'service')!;
    expect(nodeDescription(service)).toMatch(/Not on the way\.$/);
  });
});

describe('initialScale', () => {
  it('starts at natural size when the drawing fits, else shrinks it down to 3/4 at most', () => {
    expect(initialScale(undefined, 900)).toBe(1);
    expect(initialScale(1200, 900)).toBe(1);
    expect(initialScale(810, 900)).toBeCloseTo(0.9);
    expect(initialScale(300, 900)).toBe(MIN_INITIAL_SCALE);
  });
});
