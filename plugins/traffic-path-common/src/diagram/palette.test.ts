/*
 * The fixed palettes the server draws with, checked as the card's colours
 * are (plugins/traffic-path/src/components/colours.test.ts): every text
 * colour reaches WCAG AA (4.5:1) on every ground it is drawn on, every
 * line 3:1, the statuses differ, and the dark picture is dark. That they
 * equal the card's colours in Backstage's themes is checked by the card
 * (graph/palette.test.ts), where the themes are.
 */
import { contrastRatio, opaqueHex, parseColour } from './colour';
import { diagramPalettes } from './palette';

describe.each(['light', 'dark'] as const)('the %s palette', mode => {
  const p = diagramPalettes[mode];
  const grounds = [p.surface, p.surfaceAside, p.canvas];
  const texts = [
    p.text,
    p.textSecondary,
    ...Object.values(p.tone),
    ...Object.values(p.badge),
  ];

  it('reads: text at 4.5:1 and lines at 3:1 on every ground', () => {
    for (const ground of grounds) {
      for (const colour of texts)
        expect(contrastRatio(colour, ground)).toBeGreaterThanOrEqual(4.5);
      for (const colour of [p.edge, p.edgeAside, p.highlight])
        expect(contrastRatio(colour, ground)).toBeGreaterThanOrEqual(3);
    }
  });

  it('tells ok, warning and error apart', () => {
    expect(new Set([p.tone.ok, p.tone.warning, p.tone.error]).size).toBe(3);
  });

  it('is the mode it says', () => {
    expect(p.mode).toBe(mode);
    const dark =
      contrastRatio(p.canvas, '#000000') < contrastRatio(p.canvas, '#ffffff');
    expect(dark).toBe(mode === 'dark');
  });
});

describe('colour arithmetic', () => {
  it('reads the colour forms of the themes', () => {
    expect(parseColour('#fff')).toEqual([255, 255, 255, 1]);
    expect(parseColour('rgb(1, 115, 177)')).toEqual([1, 115, 177, 1]);
    expect(parseColour('rgba(0, 0, 0, 0.12)')).toEqual([0, 0, 0, 0.12]);
    expect(parseColour('var(--x)')).toBeUndefined();
  });

  it('blends transparency over the ground', () => {
    expect(opaqueHex('rgba(0, 0, 0, 0.5)', '#ffffff')).toBe('#808080');
    expect(opaqueHex('#2E7D32')).toBe('#2e7d32');
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
