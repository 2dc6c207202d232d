/*
 * The card's SVG export is the engine's drawing (the one the backend's
 * diagram endpoint serves), in the card's colours, at the card's width and
 * with its pods as the card shows them.
 */
import { themes } from '@backstage/theme';
import { Palette } from '@mui/material/styles';
import { routeToSvg } from '@internal/plugin-traffic-path-common';
import { scenarioReport } from '../__testUtils__/scenarios';
import { coloursOf } from './colours';
import { svgText } from './exportGraph';

const route = scenarioReport(['seed-004/cluster']).routes.find(
  r => r.entry.host === 'app1.qas.abc.com',
)!;
const dark = coloursOf(themes.dark.getTheme('v5')!.palette as Palette);

describe('svgText', () => {
  it("draws the route with the engine, in the theme's colours, as the card shows it", () => {
    const drawn = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    drawn.setAttribute('data-available-width', '900');
    drawn.setAttribute('data-expanded-pods', 'true');
    const svg = svgText(route, dark, drawn);
    expect(svg).toBe(
      routeToSvg(route, { palette: dark, width: 900, expandedPods: true }),
    );
    expect(svg).toContain('data-theme="dark"');
    expect(svg).toContain('app1-7d9c5b8f6-k2x8p');
  });

  it('draws at the default width with pods grouped when the graph is not on the page', () => {
    expect(svgText(route, dark, null)).toBe(
      routeToSvg(route, { palette: dark }),
    );
  });
});
