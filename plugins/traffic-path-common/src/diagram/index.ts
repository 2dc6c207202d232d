/*
 * The drawing of a route, shared by the card (its graph and exports) and
 * the backend's diagram endpoint: the layout, the SVG, the palettes and the
 * Markdown of one route for docs pages.
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
} from './layout';
export type {
  Badge,
  BadgeTone,
  GraphEdge,
  GraphLayout,
  GraphNode,
  LayoutOptions,
  Point,
  TextLine,
} from './layout';
export { wrapText } from './wrap';
export type { Wrapped } from './wrap';
export { statusLook, wordsOf } from './look';
export type { StatusLook, Tone } from './look';
export { diagramPalettes } from './palette';
export type { DiagramPalette, DiagramTheme } from './palette';
export { contrastRatio, opaqueHex } from './colour';
export {
  DIAGRAM_FONT_FAMILY,
  lineColour,
  nodeDescription,
  routeCaption,
  routeToSvg,
  textBaseline,
} from './svg';
export type { SvgOptions } from './svg';
export { hopCommands } from './commands';
export type { HopCommand } from './commands';
export { routeFindings, routeMarkdown } from './document';
