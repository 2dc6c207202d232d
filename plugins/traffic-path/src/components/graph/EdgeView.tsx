/*
 * One edge: a solid arrow along the way, or the dotted link of a Service
 * that only lists the endpoints. The layout gives the line's points.
 */
import { TrafficPathColours } from '../colours';
import { GraphEdge } from '@internal/plugin-traffic-path-common';

export const ARROW_ID = 'tp-arrow';

export function EdgeView(props: {
  edge: GraphEdge;
  colours: TrafficPathColours;
}) {
  const { edge, colours: c } = props;
  const d = edge.points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`)
    .join(' ');
  const onTheWay = edge.style === 'path';
  return (
    <path
      className={`tp-edge tp-edge-${edge.style}`}
      data-from={edge.from}
      data-to={edge.to}
      d={d}
      fill="none"
      stroke={onTheWay ? c.edge : c.edgeAside}
      strokeWidth={onTheWay ? 2 : 1.5}
      strokeDasharray={onTheWay ? undefined : '4 4'}
      markerEnd={onTheWay ? `url(#${ARROW_ID})` : undefined}
    />
  );
}

/** The arrowhead of the edges on the way. */
export function ArrowMarker(props: { colour: string }) {
  return (
    <marker
      id={ARROW_ID}
      viewBox="0 0 10 10"
      refX="9"
      refY="5"
      markerWidth="7"
      markerHeight="7"
      orient="auto-start-reverse"
    >
      <path d="M0,0 L10,5 L0,10 z" fill={props.colour} />
    </marker>
  );
}
