/*
 * The route drawn as SVG: the layout places the hops, React renders them
 * (text nodes only: cluster data never becomes HTML), d3-zoom gives zoom
 * and pan. Every hop is a keyboard-focusable button; Enter or Space opens
 * its details. Colours come from the app's theme.
 */
import { useMemo, useRef } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import {
  DIAGRAM_FONT_FAMILY,
  GraphNode,
  HopKind,
  layoutRoute,
  Route,
  statusLook,
} from '@internal/plugin-traffic-path-common';
import { useTrafficPathColours } from '../colours';
import { ArrowMarker, EdgeView } from './EdgeView';
import { NodeView } from './NodeView';
import { useAvailableWidth } from './useAvailableWidth';
import { initialScale, useZoom } from './useZoom';

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

/** Taller drawings (many pods expanded) pan inside this height. */
const MAX_HEIGHT = 1400;

export function PathGraph(props: PathGraphProps) {
  const { route, expandedPods } = props;
  const colours = useTrafficPathColours();
  const frame = useRef<HTMLDivElement>(null);
  const available = useAvailableWidth(frame);
  // The hops are as wide as the page allows: nothing wraps but their text.
  const layout = useMemo(
    () => layoutRoute(route, { expandedPods, width: available }),
    [route, expandedPods, available],
  );
  const svg = useRef<SVGSVGElement | null>(null);
  const canvas = useRef<SVGGElement | null>(null);
  const { zoomBy, reset } = useZoom(svg, canvas, layout);
  const height =
    props.height ??
    Math.min(
      Math.ceil(layout.height * initialScale(available, layout.width)) + 2,
      MAX_HEIGHT,
    );

  return (
    <Box
      ref={frame}
      sx={{
        '& .tp-node:focus-visible .tp-node-frame': {
          stroke: colours.highlight,
          strokeWidth: 4,
        },
      }}
    >
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="center"
        gap={1}
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
        data-theme={colours.mode}
        data-available-width={available}
        data-expanded-pods={expandedPods ? 'true' : 'false'}
        role="group"
        aria-label={`Path of ${route.entry.host ?? route.entry.object.name}: ${
          route.hops.length
        } hops, ${
          statusLook(route.health).word
        }. Ctrl + wheel zooms, drag pans; the hop table below lists the same.`}
        style={{
          display: 'block',
          border: `1px solid ${colours.frame}`,
          borderRadius: 4,
          fontFamily: DIAGRAM_FONT_FAMILY,
        }}
      >
        <defs>
          <ArrowMarker colour={colours.edge} />
        </defs>
        {/* The ground, drawn in the SVG itself so that the exports keep it. */}
        <rect
          className="tp-ground"
          width="100%"
          height="100%"
          fill={colours.canvas}
        />
        <g ref={canvas} className="tp-canvas">
          {layout.edges.map(e => (
            <EdgeView key={`${e.from}-${e.to}`} edge={e} colours={colours} />
          ))}
          {layout.nodes.map(node => (
            <NodeView
              key={node.id}
              node={node}
              colours={colours}
              selected={props.selected === node.id}
              highlighted={props.highlight === node.kind && !node.parent}
              onSelect={() => props.onSelect(node)}
              onToggle={node.expandable ? props.onTogglePods : undefined}
            />
          ))}
        </g>
      </svg>
    </Box>
  );
}
