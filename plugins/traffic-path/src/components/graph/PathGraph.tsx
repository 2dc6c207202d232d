/*
 * The route drawn as SVG: React renders the nodes (text only, never HTML),
 * d3-zoom gives zoom and pan. Every node is a keyboard-focusable button;
 * Enter or Space opens its details.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, ZoomBehavior } from 'd3-zoom';
import { HopKind, Route } from '@internal/plugin-traffic-path-common';
import { statusLook } from '../status';
import {
  Badge,
  columnsThatFit,
  GraphNode,
  layoutRoute,
  NODE_HEIGHT,
  NODE_WIDTH,
} from './layout';

export type PathGraphProps = {
  route: Route;
  expandedPods: boolean;
  onTogglePods(): void;
  selected?: string;
  onSelect(node: GraphNode): void;
  /** Hop kinds to highlight (from a finding under the pointer). */
  highlight?: HopKind;
  svgRef?: React.Ref<SVGSVGElement>;
  height?: number;
};

const MIN_INITIAL_SCALE = 0.75;
/** How far a wrapping edge runs beside its nodes: within the drawing's margin. */
const WRAP_OFFSET = 14;

const badgeColours: Record<Badge['tone'], string> = {
  allow: '#2e7d32',
  deny: '#c62828',
  hidden: '#6a1b9a',
  info: '#1565c0',
};

/** Up to `lines` lines of at most `max` characters, cut at spaces when possible. */
export function wrapLabel(text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest && out.length < lines) {
    if (rest.length <= max) {
      out.push(rest);
      rest = '';
      break;
    }
    const cut = rest.lastIndexOf(' ', max);
    const at = cut > max / 2 ? cut : max;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  if (rest)
    out[out.length - 1] = truncate(`${out[out.length - 1]} ${rest}`, max);
  return out;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function NodeView(props: {
  node: GraphNode;
  selected: boolean;
  highlighted: boolean;
  onSelect(): void;
  onToggle?: () => void;
}) {
  const { node, selected, highlighted } = props;
  const look = statusLook(node.status);
  const label = `${node.title}: ${look.word}. ${node.label}${
    node.badges.length ? `. ${node.badges.map(b => b.text).join('; ')}` : ''
  }${node.blocks ? '. Blocks the client.' : ''}${
    node.aside ? '. Not on the way.' : ''
  }`;
  return (
    <g
      className="tp-node"
      data-kind={node.kind}
      data-status={node.status}
      data-aside={node.aside ? 'true' : undefined}
      transform={`translate(${node.x},${node.y})`}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={selected}
      onClick={() => props.onSelect()}
      onDoubleClick={props.onToggle}
      onKeyDown={e => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          props.onSelect();
        }
        if ((e.key === '+' || e.key === '-') && props.onToggle)
          props.onToggle();
      }}
      style={{ cursor: 'pointer', outline: 'none' }}
    >
      <title>{label}</title>
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={8}
        fill={node.aside ? '#fafafa' : '#ffffff'}
        stroke={node.blocks ? '#c62828' : look.colour}
        strokeWidth={selected || highlighted || node.blocks ? 4 : 2}
        strokeDasharray={node.aside ? '6 4' : undefined}
      />
      {highlighted && (
        <rect
          x={-5}
          y={-5}
          width={NODE_WIDTH + 10}
          height={NODE_HEIGHT + 10}
          rx={11}
          fill="none"
          stroke="#1565c0"
          strokeWidth={2}
          strokeDasharray="3 3"
        />
      )}
      <text x={10} y={18} fontSize={11} fontWeight={600} fill="#212121">
        {truncate(node.title, 18)}
      </text>
      <text
        x={NODE_WIDTH - 10}
        y={18}
        fontSize={11}
        textAnchor="end"
        fill={look.colour}
        fontWeight={700}
      >
        {`${look.icon} ${look.word}`}
      </text>
      {wrapLabel(node.label, 28, 2).map((line, i) => (
        <text key={i} x={10} y={33 + i * 12} fontSize={10.5} fill="#212121">
          {line}
        </text>
      ))}
      {node.blocks && (
        <text x={10} y={58} fontSize={10} fill="#c62828" fontWeight={700}>
          ✕ blocks the client
        </text>
      )}
      {!node.blocks && node.expandable && (
        <text
          x={10}
          y={58}
          fontSize={10}
          fill="#1565c0"
          className="tp-toggle"
          onClick={e => {
            e.stopPropagation();
            props.onToggle?.();
          }}
        >
          {node.expandable.expanded
            ? '− group pods'
            : `+ show ${node.expandable.count} pods`}
        </text>
      )}
      {!node.blocks && !node.expandable && node.badges.length > 0 && (
        <text
          x={10}
          y={58}
          fontSize={10}
          fill={badgeColours[node.badges[node.badges.length - 1].tone]}
        >
          {truncate(node.badges.map(b => b.text).join(' · '), 30)}
        </text>
      )}
    </g>
  );
}

function EdgeView(props: {
  from: GraphNode;
  to: GraphNode;
  style: 'path' | 'aside';
  wrapY?: number;
}) {
  const { from: a, to: b, wrapY } = props;
  const x1 = a.x + NODE_WIDTH;
  const y1 = a.y + NODE_HEIGHT / 2;
  const x2 = b.x;
  const y2 = b.y + NODE_HEIGHT / 2;
  const mid = (x1 + x2) / 2;
  // Into the next band: out to the right, along the gap, in from the left,
  // staying inside the drawing's margin.
  const d =
    wrapY === undefined
      ? `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`
      : `M${x1},${y1} H${x1 + WRAP_OFFSET} V${wrapY} H${
          x2 - WRAP_OFFSET
        } V${y2} H${x2}`;
  return (
    <path
      className={`tp-edge tp-edge-${props.style}`}
      d={d}
      fill="none"
      stroke={props.style === 'aside' ? '#9e9e9e' : '#455a64'}
      strokeWidth={props.style === 'aside' ? 1.5 : 2}
      strokeDasharray={props.style === 'aside' ? '4 4' : undefined}
      markerEnd={props.style === 'path' ? 'url(#tp-arrow)' : undefined}
    />
  );
}

/** The width the graph has on the page, followed as the page resizes. */
function useAvailableWidth(
  element: React.RefObject<HTMLElement>,
): number | undefined {
  const [width, setWidth] = useState<number | undefined>();
  useEffect(() => {
    const el = element.current;
    if (!el) return undefined;
    setWidth(el.clientWidth || undefined);
    // jsdom has no ResizeObserver: there the graph keeps one band.
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() =>
      setWidth(el.clientWidth || undefined),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

export function PathGraph(props: PathGraphProps) {
  const { route, expandedPods } = props;
  const frame = useRef<HTMLDivElement>(null);
  const available = useAvailableWidth(frame);
  // As many hops side by side as fit at natural size; the rest wraps into further bands.
  const columnsPerBand = available ? columnsThatFit(available) : undefined;
  const layout = useMemo(
    () => layoutRoute(route, { expandedPods, columnsPerBand }),
    [route, expandedPods, columnsPerBand],
  );
  const nodesById = useMemo(
    () => new Map(layout.nodes.map(n => [n.id, n])),
    [layout],
  );
  const svg = useRef<SVGSVGElement | null>(null);
  const canvas = useRef<SVGGElement | null>(null);
  const behaviour = useRef<ZoomBehavior<SVGSVGElement, unknown>>();

  // Readable first: natural size down to 3/4, never squeezed to fit; drag pans the rest.
  const fitScale = useCallback(() => {
    const width = svg.current?.clientWidth || layout.width;
    return Math.max(MIN_INITIAL_SCALE, Math.min(1, width / layout.width));
  }, [layout.width]);

  useEffect(() => {
    if (!svg.current || !canvas.current) return undefined;
    const group = select(canvas.current);
    const element = svg.current;
    const z = zoom<SVGSVGElement, unknown>()
      // Explicit extent: d3's default reads SVG lengths some DOMs (jsdom) lack.
      .extent(() => [
        [0, 0],
        [
          element.clientWidth || layout.width,
          element.clientHeight || layout.height,
        ],
      ])
      .scaleExtent([0.25, 3])
      .filter(
        event =>
          !!event.view &&
          !event.button &&
          event.type !== 'dblclick' &&
          (event.type !== 'wheel' || event.ctrlKey || event.metaKey),
      )
      .on('zoom', event => group.attr('transform', event.transform.toString()));
    behaviour.current = z;
    const selection = select(svg.current);
    selection.call(z);
    selection.call(z.transform, zoomIdentity.scale(fitScale()));
    return () => {
      selection.on('.zoom', null);
    };
  }, [fitScale, layout.width, layout.height]);

  const zoomBy = (factor: number) =>
    svg.current &&
    behaviour.current &&
    select(svg.current).call(behaviour.current.scaleBy, factor);
  const reset = () =>
    svg.current &&
    behaviour.current &&
    select(svg.current).call(
      behaviour.current.transform,
      zoomIdentity.scale(fitScale()),
    );
  // Tall enough for every band at the initial scale; very tall drawings (many pods expanded) pan.
  const initialScale = available
    ? Math.max(MIN_INITIAL_SCALE, Math.min(1, available / layout.width))
    : 1;
  const height =
    props.height ??
    Math.min(Math.max(layout.height * initialScale + 4, 120), 720);

  return (
    <Box ref={frame}>
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="center"
        mb={0.5}
      >
        <Box component="span" sx={{ fontSize: 12, color: 'text.secondary' }}>
          Drag to pan, Ctrl + wheel or the buttons to zoom; Tab to a hop and
          Enter for its details.
        </Box>
        <ButtonGroup size="small" variant="outlined" aria-label="Zoom">
          <Button onClick={() => zoomBy(1.25)} aria-label="Zoom in">
            +
          </Button>
          <Button onClick={() => zoomBy(0.8)} aria-label="Zoom out">
            −
          </Button>
          <Button onClick={reset} aria-label="Reset zoom">
            Reset
          </Button>
        </ButtonGroup>
      </Box>
      <svg
        ref={el => {
          svg.current = el;
          if (typeof props.svgRef === 'function') props.svgRef(el);
          else if (props.svgRef)
            (
              props.svgRef as React.MutableRefObject<SVGSVGElement | null>
            ).current = el;
        }}
        xmlns="http://www.w3.org/2000/svg"
        width="100%"
        height={height}
        data-width={layout.width}
        data-height={layout.height}
        role="group"
        aria-label={`Path of ${route.entry.host ?? route.entry.object.name}: ${
          route.hops.length
        } hops, ${
          route.health
        }. Ctrl + wheel zooms, drag pans; the hop table below lists the same.`}
        style={{
          border: '1px solid #e0e0e0',
          borderRadius: 4,
          background: '#fcfcfc',
          fontFamily: 'Roboto, Helvetica, Arial, sans-serif',
        }}
      >
        <defs>
          <marker
            id="tp-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#455a64" />
          </marker>
        </defs>
        <g ref={canvas}>
          {layout.edges.map(e => (
            <EdgeView
              key={`${e.from}-${e.to}`}
              from={nodesById.get(e.from)!}
              to={nodesById.get(e.to)!}
              style={e.style}
              wrapY={e.wrapY}
            />
          ))}
          {layout.nodes.map(node => (
            <NodeView
              key={node.id}
              node={node}
              selected={props.selected === node.id}
              highlighted={props.highlight === node.kind}
              onSelect={() => props.onSelect(node)}
              onToggle={node.expandable ? props.onTogglePods : undefined}
            />
          ))}
          {layout.nodes
            .filter(n => n.aside)
            .map(n => (
              <text
                key={`aside-${n.id}`}
                x={n.x}
                y={n.y + NODE_HEIGHT + 14}
                fontSize={10}
                fill="#616161"
              >
                ClusterIP not on the way: used to find endpoints
              </text>
            ))}
        </g>
      </svg>
    </Box>
  );
}
