/*
 * The drawing's layout lives in the engine (plugins/traffic-path-common,
 * src/diagram), so that the backend draws the card's picture for docs
 * pages; the card's other parts import it from here.
 */
export {
  CHAR_WIDTH,
  charsPerLine,
  DEFAULT_WIDTH,
  FONT_SIZE,
  hopBadges,
  hopTitle,
  layoutRoute,
  LINE_HEIGHT,
  MARGIN,
  MAX_EXPANDED_PODS,
  PAD_X,
  PAD_Y,
  podSummary,
} from '@internal/plugin-traffic-path-common';
export type {
  Badge,
  BadgeTone,
  GraphEdge,
  GraphLayout,
  GraphNode,
  LayoutOptions,
  Point,
  TextLine,
} from '@internal/plugin-traffic-path-common';
