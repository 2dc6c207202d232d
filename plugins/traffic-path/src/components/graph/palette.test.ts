/*
 * The engine's fixed palettes (what the server draws, without a theme at
 * hand) are the card's colours in Backstage's own light and dark themes:
 * a docs page shows the same picture as the card.
 */
import { themes } from '@backstage/theme';
import { Palette } from '@mui/material/styles';
import { diagramPalettes } from '@internal/plugin-traffic-path-common';
import { coloursOf } from '../colours';

describe.each(['light', 'dark'] as const)("the engine's %s palette", mode => {
  it("is the card's colours in Backstage's theme", () => {
    const palette = themes[mode].getTheme('v5')!.palette as Palette;
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(coloursOf(palette), null, 2));
    expect(diagramPalettes[mode]).toEqual(coloursOf(palette));
  });
});
