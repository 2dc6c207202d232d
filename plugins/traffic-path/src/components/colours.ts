/*
 * Every colour of the card, derived from the app's theme (light or dark,
 * or a company's own), so the drawing follows the page instead of being a
 * white rectangle in the dark theme. A palette colour that would be too
 * faint on the card's background is darkened (light theme) or lightened
 * (dark theme) until it reads: 4.5:1 for text (WCAG AA), 3:1 for lines
 * and shapes (WCAG 1.4.11).
 */
import { useMemo } from 'react';
import {
  darken,
  decomposeColor,
  getContrastRatio,
  lighten,
  Palette,
  recomposeColor,
  useTheme,
} from '@mui/material/styles';
import type { DiagramPalette } from '@internal/plugin-traffic-path-common';

export const TEXT_CONTRAST = 4.5;
export const GRAPHIC_CONTRAST = 3;

/** The drawing's colours: the engine's palette type, so the engine's SVG draws with them. */
export type TrafficPathColours = DiagramPalette;

/** A colour with transparency, as it shows over its background. */
export function opaque(colour: string, background: string): string {
  const c = decomposeColor(colour);
  const alpha = c.values[3] ?? 1;
  if (alpha >= 1 || c.type.startsWith('hsl')) return colour;
  const b = decomposeColor(background).values;
  return recomposeColor({
    type: 'rgb',
    values: [0, 1, 2].map(i =>
      Math.round(c.values[i] * alpha + b[i] * (1 - alpha)),
    ) as [number, number, number],
  });
}

/** The contrast of a colour on a background, transparency included. */
export function contrast(colour: string, background: string): number {
  return getContrastRatio(opaque(colour, background), background);
}

/**
 * The colour itself when it reaches `ratio` on every background, else the
 * closest shade (towards black on light grounds, white on dark) that does.
 */
export function readable(
  colour: string,
  backgrounds: string[],
  ratio: number,
  mode: 'light' | 'dark',
): string {
  const base = opaque(colour, backgrounds[0]);
  const shift = mode === 'dark' ? lighten : darken;
  for (let step = 0; step < 20; step++) {
    const candidate = step === 0 ? base : shift(base, step / 20);
    if (backgrounds.every(b => contrast(candidate, b) >= ratio))
      return candidate;
  }
  // The far end, white or black: as much contrast as the grounds allow.
  return shift(base, 1);
}

export function coloursOf(palette: Palette): TrafficPathColours {
  const mode = palette.mode === 'dark' ? 'dark' : 'light';
  const canvas = palette.background.default;
  const surface = palette.background.paper;
  const surfaceAside = canvas;
  const grounds = [surface, surfaceAside, canvas];
  const text = (c: string) => readable(c, grounds, TEXT_CONTRAST, mode);
  const graphic = (c: string) => readable(c, grounds, GRAPHIC_CONTRAST, mode);
  const tone: TrafficPathColours['tone'] = {
    ok: text(palette.success.main),
    warning: text(palette.warning.main),
    error: text(palette.error.main),
    info: text(palette.info.main),
    neutral: text(palette.text.secondary),
  };
  return {
    mode,
    canvas,
    surface,
    surfaceAside,
    text: text(palette.text.primary),
    textSecondary: tone.neutral,
    frame: palette.divider,
    edge: graphic(palette.text.secondary),
    edgeAside: graphic(palette.text.disabled),
    highlight: graphic(palette.primary.main),
    tone,
    badge: {
      allow: tone.ok,
      deny: tone.error,
      hidden: text(palette.secondary.main),
      info: tone.info,
    },
  };
}

/** Per palette: a review page draws hundreds of toned cells, each asking for the colours. */
const coloursByPalette = new WeakMap<Palette, TrafficPathColours>();

/** The card's colours in the app's current theme. */
export function useTrafficPathColours(): TrafficPathColours {
  const theme = useTheme();
  return useMemo(() => {
    let colours = coloursByPalette.get(theme.palette);
    if (!colours) {
      colours = coloursOf(theme.palette);
      coloursByPalette.set(theme.palette, colours);
    }
    return colours;
  }, [theme.palette]);
}
