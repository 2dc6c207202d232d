/*
 * The card's colours in Backstage's own light and dark themes: every text
 * colour reaches WCAG AA (4.5:1) on every surface it is drawn on, every
 * line and shape 3:1, and the dark drawing is dark (not a white rectangle).
 */
import { themes } from '@backstage/theme';
import { Palette } from '@mui/material/styles';
import {
  coloursOf,
  contrast,
  GRAPHIC_CONTRAST,
  readable,
  TEXT_CONTRAST,
  TrafficPathColours,
} from './colours';

const palettes: [string, Palette][] = [
  ['light', themes.light.getTheme('v5')!.palette as Palette],
  ['dark', themes.dark.getTheme('v5')!.palette as Palette],
];

function textPairs(c: TrafficPathColours): [string, string][] {
  const texts: [string, string][] = [
    ['text', c.text],
    ['secondary text', c.textSecondary],
    ...Object.entries(c.tone).map(
      ([k, v]) => [`${k} status`, v] as [string, string],
    ),
    ...Object.entries(c.badge).map(
      ([k, v]) => [`${k} badge`, v] as [string, string],
    ),
  ];
  return texts;
}

describe.each(palettes)('the %s theme', (mode, palette) => {
  const c = coloursOf(palette);
  const grounds: [string, string][] = [
    ['hop', c.surface],
    ['aside hop', c.surfaceAside],
    ['drawing', c.canvas],
  ];

  it('takes its mode and grounds from the theme', () => {
    expect(c.mode).toBe(mode);
    expect(c.surface).toBe(palette.background.paper);
    expect(c.canvas).toBe(palette.background.default);
  });

  it.each(textPairs(c))('%s reaches 4.5:1 on every ground', (_, colour) => {
    for (const [, ground] of grounds)
      expect(contrast(colour, ground)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
  });

  it('draws edges, arrowheads and highlights at 3:1 at least', () => {
    for (const colour of [c.edge, c.edgeAside, c.highlight])
      for (const [, ground] of grounds)
        expect(contrast(colour, ground)).toBeGreaterThanOrEqual(
          GRAPHIC_CONTRAST,
        );
  });

  it('tells ok, warning and error apart', () => {
    expect(new Set([c.tone.ok, c.tone.warning, c.tone.error]).size).toBe(3);
  });
});

describe('coloursOf', () => {
  it('draws the dark theme on a dark ground with light text', () => {
    const dark = coloursOf(palettes[1][1]);
    const light = coloursOf(palettes[0][1]);
    // Darker than mid-grey, and text much lighter than its ground.
    expect(contrast(dark.canvas, '#000000')).toBeLessThan(
      contrast(dark.canvas, '#ffffff'),
    );
    expect(contrast(dark.text, '#ffffff')).toBeLessThan(2);
    expect(dark.canvas).not.toBe(light.canvas);
  });
});

describe('readable', () => {
  it('keeps a colour that already reads', () => {
    expect(readable('#1f5493', ['#ffffff'], 4.5, 'light')).toBe('#1f5493');
  });

  it('darkens a faint colour on a light ground, lightens it on a dark one', () => {
    const onLight = readable('#ff9800', ['#ffffff'], 4.5, 'light');
    expect(contrast(onLight, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    const onDark = readable('#1f5493', ['#333333'], 4.5, 'dark');
    expect(contrast(onDark, '#333333')).toBeGreaterThanOrEqual(4.5);
  });

  it('blends a transparent colour over its ground before measuring', () => {
    // rgba(0,0,0,0.3) over white is a light grey: too faint as it stands.
    expect(contrast('rgba(0, 0, 0, 0.3)', '#ffffff')).toBeLessThan(3);
    expect(
      contrast(
        readable('rgba(0, 0, 0, 0.3)', ['#ffffff'], 3, 'light'),
        '#ffffff',
      ),
    ).toBeGreaterThanOrEqual(3);
  });
});
