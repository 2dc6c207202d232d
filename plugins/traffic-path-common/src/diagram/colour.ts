/*
 * The little colour arithmetic the SVG needs: a theme colour (#rgb,
 * #rrggbb, rgb(), rgba()) as an opaque #rrggbb over its ground, since some
 * SVG viewers do not read CSS colour functions or transparency in
 * attributes; and the WCAG contrast ratio, for the palette's tests.
 */

type Rgba = [number, number, number, number];

export function parseColour(colour: string): Rgba | undefined {
  const c = colour.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(c)?.[1];
  if (hex) {
    const full =
      hex.length <= 4
        ? hex
            .split('')
            .map(d => d + d)
            .join('')
        : hex;
    if (full.length !== 6 && full.length !== 8) return undefined;
    const n = (i: number) => parseInt(full.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), full.length === 8 ? n(6) / 255 : 1];
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(c)?.[1];
  if (!fn) return undefined;
  const parts = fn
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  if (parts.length < 3 || parts.some(Number.isNaN)) return undefined;
  return [parts[0], parts[1], parts[2], parts[3] ?? 1];
}

const hex2 = (v: number) =>
  Math.round(Math.max(0, Math.min(255, v)))
    .toString(16)
    .padStart(2, '0');

/** The colour as it shows over `ground`, as #rrggbb; a colour it cannot read is kept as is. */
export function opaqueHex(colour: string, ground = '#ffffff'): string {
  const c = parseColour(colour);
  if (!c) return colour;
  const g = parseColour(ground) ?? [255, 255, 255, 1];
  const [r, gr, b] = [0, 1, 2].map(i => c[i] * c[3] + g[i] * (1 - c[3]));
  return `#${hex2(r)}${hex2(gr)}${hex2(b)}`;
}

function luminance(colour: string): number {
  const c = parseColour(colour) ?? [0, 0, 0, 1];
  const [r, g, b] = [0, 1, 2].map(i => {
    const v = c[i] / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG 2 contrast ratio of a colour (transparency included) on an opaque ground. */
export function contrastRatio(colour: string, ground: string): number {
  const a = luminance(opaqueHex(colour, ground));
  const b = luminance(opaqueHex(ground));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
