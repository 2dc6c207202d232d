/*
 * The card in Backstage's light and dark themes, chosen the way a user's
 * setting does (the app keeps the theme id in localStorage under `theme`):
 * the drawing follows the theme — a dark ground and light text in the dark
 * theme, not a white rectangle — and a screenshot of each is kept. And a
 * hop whose text is cut shows it whole when Tab brings focus to it, in the
 * browser's own :focus-visible (jsdom's misses it).
 */
import { expect, Page, test } from '@playwright/test';

/** Relative luminance (WCAG) of a colour as SVG attributes hold it: #rgb, #rrggbb or rgb(r, g, b). */
function luminance(colour: string): number {
  const hex =
    colour.length === 4 ? colour.replace(/[0-9a-f]/gi, d => d + d) : colour;
  const channels = hex.startsWith('#')
    ? [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16))
    : colour
        .match(/\d+(\.\d+)?/g)!
        .slice(0, 3)
        .map(Number);
  const [r, g, b] = channels.map(v => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function openCard(page: Page, theme: 'light' | 'dark') {
  await page.addInitScript(id => {
    window.localStorage.setItem('theme', id);
  }, theme);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'app1', exact: true }),
  ).toBeVisible();
  await page.goto('/catalog/default/component/app1');
  await expect(page.locator('body')).toHaveAttribute('data-theme-mode', theme);
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: 'Traffic path' }) });
  await expect(card.locator('.tp-node[data-kind="container"]')).toBeVisible();
  return card;
}

for (const theme of ['light', 'dark'] as const) {
  test(`app1's card in the ${theme} theme`, async ({ page }) => {
    const card = await openCard(page, theme);
    const svg = card.locator('svg[role="group"]');
    await expect(svg).toHaveAttribute('data-theme', theme);
    const ground = (await svg.locator('.tp-ground').getAttribute('fill'))!;
    const text = (await svg
      .locator('.tp-node text')
      .first()
      .getAttribute('fill'))!;
    if (theme === 'dark') {
      expect(luminance(ground)).toBeLessThan(0.1);
      expect(luminance(text)).toBeGreaterThan(0.6);
    } else {
      expect(luminance(ground)).toBeGreaterThan(0.8);
      expect(luminance(text)).toBeLessThan(0.1);
    }
    // The whole way is in the drawing, top to bottom, without panning.
    const drawing = (await svg.boundingBox())!;
    const last = (await card
      .locator('.tp-node[data-kind="container"]')
      .boundingBox())!;
    expect(last.y + last.height).toBeLessThanOrEqual(
      drawing.y + drawing.height,
    );
    expect(last.x + last.width).toBeLessThanOrEqual(drawing.x + drawing.width);
    // Every line of text inside its hop, in the browser's real font; titles clear of the status.
    const overflowing = await svg.evaluate(el => {
      const out: string[] = [];
      el.querySelectorAll('.tp-node').forEach(node => {
        const frame = node.querySelector<SVGRectElement>('.tp-node-frame')!;
        const width = frame.width.baseVal.value;
        const texts = [
          ...node.querySelectorAll<SVGTextElement>(':scope > text'),
        ];
        for (const t of texts) {
          const box = t.getBBox();
          if (box.x < 0 || box.x + box.width > width)
            out.push(
              `"${t.textContent}" ends at ${box.x + box.width} of ${width}`,
            );
        }
        const [title, status] = texts.map(t => t.getBBox());
        if (
          status &&
          Math.abs(title.y - status.y) < 1 &&
          title.x + title.width >= status.x
        )
          out.push(`title "${texts[0].textContent}" runs into its status`);
      });
      return out;
    });
    expect(overflowing).toEqual([]);
    // The hop table's short columns keep their words on one line ("Step", not "Ste p"), and
    // each address its line (the card puts from and to in one column, one above the other).
    const wrapped = await card
      .locator(
        'table thead th, table tbody td:nth-child(-n+2), table tbody td:nth-child(3) > *',
      )
      .evaluateAll(cells =>
        cells
          .filter(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            // More than one line: a piece of text starts well below the first.
            const tops = [...range.getClientRects()].map(r => r.top);
            return Math.max(...tops) - Math.min(...tops) > 6;
          })
          .map(cell => cell.textContent),
      );
    expect(wrapped).toEqual([]);
    await card.screenshot({
      path: `test-results/screenshots/traffic-path-${theme}.png`,
    });
  });
}

test("a cut hop's whole text on Tab focus, none on click", async ({ page }) => {
  // The demo's hops all fit: the load balancer's label is made too long for its lines.
  const note = ' and a very long note'.repeat(30);
  await page.route('**/api/traffic-path/v1/routes', async route => {
    const response = await route.fetch();
    const body = await response.json();
    for (const cluster of body.clusters)
      for (const r of cluster.report?.routes ?? [])
        for (const hop of r.hops)
          if (hop.kind === 'load-balancer') hop.label += note;
    await route.fulfill({ response, json: body });
  });
  const card = await openCard(page, 'dark');
  const lb = card.locator('.tp-node[data-kind="load-balancer"]');
  await expect(lb).toHaveAttribute('data-cut', 'true');
  const focused = () =>
    page.evaluate(() => document.activeElement?.getAttribute('data-kind'));
  for (let i = 0; i < 80 && (await focused()) !== 'load-balancer'; i++)
    await page.keyboard.press('Tab');
  await expect(lb).toBeFocused();
  const tip = page.getByRole('tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(`47.100.21.10 (alibaba-cloud)${note}`);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  await lb.click();
  await page.waitForTimeout(500);
  await expect(tip).toHaveCount(0);
});
