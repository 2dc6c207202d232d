/*
 * The SVG a docs page embeds, checked as a reader would get it: well-formed
 * XML on every scenario and in both themes, each hop's title, label and
 * status word (icon and word) in it, a title and description, and nothing
 * that needs the portal: no CSS variable, no stylesheet, no external
 * reference, no colour function or transparency, fonts ending in a
 * generic family, and never "undefined".
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Route } from '../model';
import { scenariosDir } from '../__testUtils__/scenarios';
import { scenarioReport } from './__testUtils__/report';
import { layoutRoute } from './layout';
import { statusLook } from './look';
import { diagramPalettes } from './palette';
import { routeCaption, routeToSvg, xmlText } from './svg';

const seed004 = scenarioReport(['seed-004/cluster']);
const byHost = (host: string) =>
  seed004.routes.find(r => r.entry.host === host)!;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: name => ['g', 'text', 'path', 'rect', 'title'].includes(name),
  processEntities: true,
  htmlEntities: false,
});

type Node = Record<string, any>;

function parse(svg: string): Node {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(JSON.stringify(valid));
  return parser.parse(svg).svg;
}

const textOf = (t: any): string =>
  typeof t === 'string' ? t : String(t?.['#text'] ?? '');

/** Every text the nodes show, per node. */
const nodeTexts = (svg: Node) =>
  (svg.g ?? []).map((g: Node) => ({
    kind: g['data-kind'] as string,
    texts: (g.text ?? []).map(textOf) as string[],
    title: textOf(g.title?.[0]),
  }));

const allScenarios = readdirSync(scenariosDir, { withFileTypes: true })
  .filter(
    d =>
      d.isDirectory() &&
      !d.name.startsWith('_') &&
      existsSync(join(scenariosDir, d.name, 'cluster')),
  )
  .map(d => d.name);

describe('routeToSvg', () => {
  it('draws app1 hop by hop: titles, wrapped labels, status icon and word, the Service aside', () => {
    const route = byHost('app1.qas.abc.com');
    const svg = routeToSvg(route, { theme: 'light' });
    const doc = parse(svg);
    const nodes = nodeTexts(doc);
    const layout = layoutRoute(route, { toggles: false });
    expect(nodes.map((n: { kind: string }) => n.kind)).toEqual(
      layout.nodes.map(n => n.kind),
    );
    for (const [i, n] of layout.nodes.entries()) {
      const look = statusLook(n.status);
      expect(nodes[i].texts).toEqual([
        n.title,
        `${look.icon} ${look.word}`,
        ...n.lines.map(l => l.text),
      ]);
      // The whole label, uncut, in the node's own title (a tooltip in viewers).
      expect(nodes[i].title).toContain(n.label);
    }
    expect(nodes.map((n: { texts: string[] }) => n.texts[0])).toEqual(
      expect.arrayContaining(['Load balancer', 'Ingress rule', 'Pods']),
    );
    expect(svg).toContain('2 pods on 2 nodes');
    expect(svg).toContain('ClusterIP not on the way');
    expect(svg).not.toContain('show 2 pods');
    expect(
      doc.path.filter((p: Node) => p.class?.includes('tp-edge-aside')),
    ).toHaveLength(1);
  });

  it('has a title and a description that say the route, its health and each hop', () => {
    const route = byHost('app1.qas.abc.com');
    const doc = parse(routeToSvg(route));
    expect(doc.role).toBe('img');
    expect(textOf(doc.title[0])).toBe(
      'Traffic path of app1.qas.abc.com/: healthy',
    );
    expect(doc['aria-labelledby']).toBe('tp-title tp-desc');
    expect(textOf(doc.desc)).toMatch(/^\d+ hops, in the order/);
    expect(textOf(doc.desc)).toContain('Load balancer: ok.');
    expect(routeCaption(route)).toBe(textOf(doc.title[0]));
  });

  it.each(['light', 'dark'] as const)(
    'draws the %s theme with its palette, in opaque #rrggbb colours only',
    theme => {
      const svg = routeToSvg(byHost('app3.qas.abc.com'), { theme });
      const doc = parse(svg);
      expect(doc['data-theme']).toBe(theme);
      const ground = doc.rect.find((r: Node) => r.class === 'tp-ground');
      expect(ground.fill.toLowerCase()).toBe(
        diagramPalettes[theme].canvas.toLowerCase(),
      );
      const colours = [...svg.matchAll(/(?:fill|stroke)="([^"]*)"/g)].map(
        m => m[1],
      );
      expect(colours.length).toBeGreaterThan(10);
      for (const c of colours) expect(c).toMatch(/^(#[0-9a-f]{6}|none)$/);
    },
  );

  it('marks the hop that blocks the client, in words as well as colour', () => {
    const report = scenarioReport(['seed-004/cluster'], {
      clientIp: '203.0.113.7',
      host: 'app3.qas.abc.com',
    });
    const route = report.routes.find(r => r.entry.host === 'app3.qas.abc.com')!;
    const nodes = nodeTexts(parse(routeToSvg(route)));
    const lb = nodes.find((n: { kind: string }) => n.kind === 'load-balancer')!;
    expect(lb.texts).toContain('✕ blocks the client');
    expect(lb.title).toContain('Blocks the client.');
  });

  it('escapes what the cluster says and drops characters XML cannot hold', () => {
    const route = byHost('app1.qas.abc.com');
    const hostile: Route = {
      ...route,
      hops: route.hops.map(h =>
        h.kind === 'ingress'
          ? { ...h, label: `<script>alert("x")</script> & co \u0007' ]]>` }
          : h,
      ),
    };
    const svg = routeToSvg(hostile);
    const doc = parse(svg);
    expect(svg).not.toContain('<script>');
    const ingress = nodeTexts(doc).find(
      (n: { kind: string }) => n.kind === 'ingress',
    )!;
    expect(ingress.texts.join(' ')).toContain('<script>alert("x")</script>');
    expect(xmlText('a\u0000b<')).toBe('ab&lt;');
  });

  it.each(allScenarios)(
    'scenario %s: well-formed, self-contained, every status in words, never "undefined"',
    name => {
      const report = scenarioReport([`${name}/cluster`]);
      for (const route of report.routes)
        for (const theme of ['light', 'dark'] as const)
          for (const expandedPods of [false, true]) {
            const svg = routeToSvg(route, { theme, expandedPods, width: 560 });
            const doc = parse(svg);
            expect(svg).not.toMatch(
              /undefined|NaN|var\(|<style|href=|url\((?!#)/,
            );
            expect(doc.xmlns).toBe('http://www.w3.org/2000/svg');
            expect(doc['font-family']).toMatch(/, sans-serif$/);
            expect(Number(doc.width)).toBeGreaterThan(0);
            expect(Number(doc.height)).toBeGreaterThan(0);
            for (const n of nodeTexts(doc)) {
              expect(n.texts[0]).toBeTruthy();
              expect(n.texts[1]).toMatch(/^[✓!✕?] \S/);
            }
          }
    },
  );
});
