/*
 * A route drawn as a standalone SVG document: the card's layout, nodes,
 * edges, labels and statuses (icon and word, never colour alone), in a
 * fixed light or dark palette or the app's own. Self-contained so that it
 * reads anywhere an image does (a docs page, a README, a file viewer):
 * colours as opaque #rrggbb attributes, no CSS variables, no stylesheet,
 * no external reference, fonts ending in a generic family, and a title
 * and description for screen readers. The card's interactive drawing uses
 * the same metrics and text helpers, and its SVG export is this function.
 */
import { Route } from '../model';
import { opaqueHex } from './colour';
import {
  FONT_SIZE,
  GraphEdge,
  GraphNode,
  layoutRoute,
  LayoutOptions,
  LINE_HEIGHT,
  PAD_X,
  PAD_Y,
  TextLine,
} from './layout';
import { statusLook } from './look';
import { DiagramPalette, DiagramTheme, diagramPalettes } from './palette';

export const DIAGRAM_FONT_FAMILY = 'Roboto, Helvetica, Arial, sans-serif';

/** What a screen reader and the tooltip say about a node: everything, uncut. */
export function nodeDescription(node: GraphNode): string {
  const look = statusLook(node.status);
  return `${node.title}: ${look.word}. ${node.label}${
    node.badges.length ? `. ${node.badges.map(b => b.text).join('; ')}` : ''
  }${node.blocks ? '. Blocks the client.' : ''}${
    node.aside ? '. Not on the way.' : ''
  }`;
}

/** The baseline of a node's row of text. */
export const textBaseline = (row: number) =>
  PAD_Y + row * LINE_HEIGHT + Math.round(FONT_SIZE * 0.95);

export function lineColour(line: TextLine, c: DiagramPalette): string {
  if (line.role === 'badge' && line.tone) return c.badge[line.tone];
  if (line.role === 'blocks') return c.tone.error;
  if (line.role === 'toggle') return c.tone.info;
  if (line.role === 'aside') return c.textSecondary;
  return c.text;
}

/** What the picture shows, in words: its title. */
export function routeCaption(route: Route): string {
  const where =
    route.entry.host !== undefined || route.entry.path !== undefined
      ? `${route.entry.host ?? '*'}${route.entry.path ?? ''}`
      : `${route.entry.object.kind} ${
          route.entry.object.namespace ? `${route.entry.object.namespace}/` : ''
        }${route.entry.object.name}`;
  return `Traffic path of ${where}: ${statusLook(route.health).word}`;
}

// Cluster data may hold any character; XML 1.0 allows neither these nor unescaped markup.
// eslint-disable-next-line no-control-regex
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlText(text: string): string {
  return text
    .replace(notXml, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type Attrs = Record<string, string | number | undefined>;

const attrs = (a: Attrs) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlText(String(v))}"`)
    .join('');

const el = (name: string, a: Attrs, children?: string) =>
  children === undefined
    ? `<${name}${attrs(a)}/>`
    : `<${name}${attrs(a)}>${children}</${name}>`;

export type SvgOptions = LayoutOptions & {
  /** The fixed palette to draw with; `palette` replaces it (the card passes the app's theme). */
  theme?: DiagramTheme;
  palette?: DiagramPalette;
  /** Prefix of the document's ids, unique when several drawings share one HTML page. */
  idPrefix?: string;
};

function edgeSvg(edge: GraphEdge, c: DiagramPalette, arrowId: string): string {
  const d = edge.points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`)
    .join(' ');
  const onTheWay = edge.style === 'path';
  return el('path', {
    class: `tp-edge tp-edge-${edge.style}`,
    'data-from': edge.from,
    'data-to': edge.to,
    d,
    fill: 'none',
    stroke: onTheWay ? c.edge : c.edgeAside,
    'stroke-width': onTheWay ? 2 : 1.5,
    'stroke-dasharray': onTheWay ? undefined : '4 4',
    'marker-end': onTheWay ? `url(#${arrowId})` : undefined,
  });
}

function nodeSvg(node: GraphNode, c: DiagramPalette): string {
  const look = statusLook(node.status);
  const statusColour = c.tone[look.tone];
  const firstLine = node.statusLine ? 2 : 1;
  const text = (a: Attrs, content: string) =>
    el('text', { 'font-size': FONT_SIZE, ...a }, xmlText(content));
  return el(
    'g',
    {
      class: 'tp-node',
      'data-kind': node.kind,
      'data-status': node.status,
      'data-aside': node.aside ? 'true' : undefined,
      transform: `translate(${node.x},${node.y})`,
    },
    [
      el('title', {}, xmlText(nodeDescription(node))),
      el('rect', {
        class: 'tp-node-frame',
        width: node.width,
        height: node.height,
        rx: node.parent ? 4 : 8,
        fill: node.aside ? c.surfaceAside : c.surface,
        stroke: node.blocks ? c.tone.error : statusColour,
        'stroke-width': node.blocks ? 4 : 2,
        'stroke-dasharray': node.aside ? '6 4' : undefined,
      }),
      text(
        { x: PAD_X, y: textBaseline(0), 'font-weight': 700, fill: c.text },
        node.title,
      ),
      text(
        {
          x: node.statusLine ? PAD_X : node.width - PAD_X,
          y: textBaseline(node.statusLine ? 1 : 0),
          'text-anchor': node.statusLine ? 'start' : 'end',
          'font-weight': 700,
          fill: statusColour,
          class: 'tp-status',
        },
        `${look.icon} ${look.word}`,
      ),
      ...node.lines.map((line, i) =>
        text(
          {
            x: PAD_X,
            y: textBaseline(firstLine + i),
            'font-weight': line.role === 'blocks' ? 700 : undefined,
            fill: lineColour(line, c),
          },
          line.text,
        ),
      ),
    ].join(''),
  );
}

/** Every colour of a palette as it shows over the canvas: opaque #rrggbb. */
function opaquePalette(p: DiagramPalette): DiagramPalette {
  const o = (colour: string) => opaqueHex(colour, p.canvas);
  const each = <K extends string>(r: Record<K, string>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, o(v as string)]));
  return {
    ...p,
    canvas: opaqueHex(p.canvas),
    surface: o(p.surface),
    surfaceAside: o(p.surfaceAside),
    text: o(p.text),
    textSecondary: o(p.textSecondary),
    frame: o(p.frame),
    edge: o(p.edge),
    edgeAside: o(p.edgeAside),
    highlight: o(p.highlight),
    tone: each(p.tone) as DiagramPalette['tone'],
    badge: each(p.badge) as DiagramPalette['badge'],
  };
}

/** The route as an SVG document (with its XML declaration). */
export function routeToSvg(route: Route, options: SvgOptions = {}): string {
  const c = opaquePalette(
    options.palette ?? diagramPalettes[options.theme ?? 'light'],
  );
  const layout = layoutRoute(route, { ...options, toggles: false });
  const id = (name: string) => `${options.idPrefix ?? 'tp'}-${name}`;
  const title = routeCaption(route);
  const desc = `${
    route.hops.length
  } hops, in the order a request crosses them. ${layout.nodes
    .filter(n => !n.parent)
    .map(nodeDescription)
    .join(' ')}`;
  const { width, height } = layout;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': `${id('title')} ${id('desc')}`,
      'font-family': DIAGRAM_FONT_FAMILY,
      'data-theme': c.mode,
    },
    [
      el('title', { id: id('title') }, xmlText(title)),
      el('desc', { id: id('desc') }, xmlText(desc)),
      el(
        'defs',
        {},
        el(
          'marker',
          {
            id: id('arrow'),
            viewBox: '0 0 10 10',
            refX: 9,
            refY: 5,
            markerWidth: 7,
            markerHeight: 7,
            orient: 'auto',
          },
          el('path', { d: 'M0,0 L10,5 L0,10 z', fill: c.edge }),
        ),
      ),
      el('rect', {
        class: 'tp-ground',
        x: 0.5,
        y: 0.5,
        width: width - 1,
        height: height - 1,
        rx: 4,
        fill: c.canvas,
        stroke: c.frame,
      }),
      ...layout.edges.map(e => edgeSvg(e, c, id('arrow'))),
      ...layout.nodes.map(n => nodeSvg(n, c)),
    ].join('\n'),
  )}\n`;
}
