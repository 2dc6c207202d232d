/*
 * One hop in the drawing: a focusable button with its title, status (icon
 * and word, never colour alone), its label and badges wrapped onto lines,
 * and the whole text as tooltip and accessible name. Its metrics, words and
 * colours are the engine's, as in the SVG the engine draws for exports.
 *
 * A hop whose lines are cut shows its whole text in a tooltip when the
 * keyboard brings focus to it (MUI's Tooltip opens on focus-visible only,
 * and Escape closes it): the SVG <title> only shows under the mouse, so a
 * sighted keyboard user would otherwise see the focus ring and a text
 * ending in "…". Under the mouse the <title> stays the tooltip (the
 * exported SVG keeps it), so the MUI one does not listen to hover.
 */
import Tooltip from '@mui/material/Tooltip';
import {
  FONT_SIZE,
  GraphNode,
  lineColour,
  nodeDescription,
  PAD_X,
  statusLook,
  textBaseline as baseline,
} from '@internal/plugin-traffic-path-common';
import { TrafficPathColours } from '../colours';

export { nodeDescription };

export function NodeView(props: {
  node: GraphNode;
  colours: TrafficPathColours;
  selected: boolean;
  highlighted: boolean;
  onSelect(): void;
  onToggle?: () => void;
}) {
  const { node, colours: c, selected, highlighted } = props;
  const look = statusLook(node.status);
  const statusColour = c.tone[look.tone];
  const description = nodeDescription(node);
  const firstLine = node.statusLine ? 2 : 1;
  const drawn = (
    <g
      className="tp-node"
      data-kind={node.kind}
      data-status={node.status}
      data-aside={node.aside ? 'true' : undefined}
      data-cut={node.cut ? 'true' : undefined}
      transform={`translate(${node.x},${node.y})`}
      role="button"
      tabIndex={0}
      aria-label={description}
      aria-pressed={selected}
      onClick={e => {
        e.stopPropagation();
        props.onSelect();
      }}
      onDoubleClick={props.onToggle}
      onKeyDown={e => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          props.onSelect();
        }
        if ((e.key === '+' || e.key === '-') && props.onToggle)
          props.onToggle();
      }}
      style={{ cursor: 'pointer', outline: 'none' }}
    >
      <title>{description}</title>
      <rect
        className="tp-node-frame"
        width={node.width}
        height={node.height}
        rx={node.parent ? 4 : 8}
        fill={node.aside ? c.surfaceAside : c.surface}
        stroke={node.blocks ? c.tone.error : statusColour}
        strokeWidth={selected || node.blocks ? 4 : 2}
        strokeDasharray={node.aside ? '6 4' : undefined}
      />
      {highlighted && (
        <rect
          x={-5}
          y={-5}
          width={node.width + 10}
          height={node.height + 10}
          rx={11}
          fill="none"
          stroke={c.highlight}
          strokeWidth={2}
          strokeDasharray="3 3"
        />
      )}
      <text
        x={PAD_X}
        y={baseline(0)}
        fontSize={FONT_SIZE}
        fontWeight={700}
        fill={c.text}
      >
        {node.title}
      </text>
      <text
        x={node.statusLine ? PAD_X : node.width - PAD_X}
        y={baseline(node.statusLine ? 1 : 0)}
        fontSize={FONT_SIZE}
        textAnchor={node.statusLine ? 'start' : 'end'}
        fill={statusColour}
        fontWeight={700}
      >
        {`${look.icon} ${look.word}`}
      </text>
      {node.lines.map((line, i) => (
        <text
          key={i}
          className={line.role === 'toggle' ? 'tp-toggle' : undefined}
          x={PAD_X}
          y={baseline(firstLine + i)}
          fontSize={FONT_SIZE}
          fontWeight={line.role === 'blocks' ? 700 : undefined}
          fill={lineColour(line, c)}
          onClick={
            line.role === 'toggle'
              ? e => {
                  e.stopPropagation();
                  props.onToggle?.();
                }
              : undefined
          }
        >
          {line.text}
        </text>
      ))}
    </g>
  );
  if (!node.cut) return drawn;
  return (
    <Tooltip
      title={description}
      placement="top"
      disableHoverListener
      PopperProps={{ className: 'tp-node-tooltip' }}
    >
      {drawn}
    </Tooltip>
  );
}
