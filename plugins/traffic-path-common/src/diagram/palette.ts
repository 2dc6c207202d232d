/*
 * The drawing's colours. The card derives them from the app's theme
 * (plugins/traffic-path/src/components/colours.ts); the server has no theme
 * at hand, so it draws with these: the card's colours in Backstage's own
 * light and dark themes, kept equal to them by a test of the card.
 */
import type { Tone } from './look';
import type { BadgeTone } from './layout';

export type DiagramTheme = 'light' | 'dark';

export type DiagramPalette = {
  mode: DiagramTheme;
  /** The drawing's ground. */
  canvas: string;
  /** A hop's fill. */
  surface: string;
  /** The fill of a hop that is not on the way. */
  surfaceAside: string;
  text: string;
  textSecondary: string;
  /** The drawing's frame. */
  frame: string;
  /** Edges on the way and their arrowheads. */
  edge: string;
  /** The dotted link of a Service that only lists the endpoints. */
  edgeAside: string;
  /** The ring around a hop a finding points at. */
  highlight: string;
  /** Status colours, readable as text on every surface. */
  tone: Record<Tone, string>;
  badge: Record<BadgeTone, string>;
};

export const diagramPalettes: Record<DiagramTheme, DiagramPalette> = {
  light: {
    mode: 'light',
    canvas: '#F8F8F8',
    surface: '#FFFFFF',
    surfaceAside: '#F8F8F8',
    text: 'rgb(33, 33, 33)',
    textSecondary: 'rgb(102, 102, 102)',
    frame: 'rgba(0, 0, 0, 0.12)',
    edge: 'rgb(102, 102, 102)',
    edgeAside: 'rgb(142, 142, 142)',
    highlight: '#1F5493',
    tone: {
      ok: '#2e7d32',
      warning: 'rgb(177, 81, 1)',
      error: '#d32f2f',
      info: 'rgb(1, 115, 177)',
      neutral: 'rgb(102, 102, 102)',
    },
    badge: {
      allow: '#2e7d32',
      deny: '#d32f2f',
      hidden: '#9c27b0',
      info: 'rgb(1, 115, 177)',
    },
  },
  dark: {
    mode: 'dark',
    canvas: '#333333',
    surface: '#424242',
    surfaceAside: '#333333',
    text: '#fff',
    textSecondary: 'rgb(198, 198, 198)',
    frame: 'rgba(255, 255, 255, 0.12)',
    edge: 'rgb(198, 198, 198)',
    edgeAside: 'rgb(161, 161, 161)',
    highlight: '#9CC9FF',
    tone: {
      ok: 'rgb(117, 193, 120)',
      warning: '#ffa726',
      error: 'rgb(248, 151, 144)',
      info: 'rgb(51, 185, 246)',
      neutral: 'rgb(198, 198, 198)',
    },
    badge: {
      allow: 'rgb(117, 193, 120)',
      deny: 'rgb(248, 151, 144)',
      hidden: '#FF88B2',
      info: 'rgb(51, 185, 246)',
    },
  },
};
