/*
 * The Traffic Path card in the portal, against the embedded demo cluster
 * (seed 004): app1's public path to its pods, app3's internal load balancer
 * and its ACL, a client-IP verdict, and the Mermaid export.
 */
import { expect, Page, test } from '@playwright/test';

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'app1', exact: true }),
  ).toBeVisible();
}

const node = (page: Page, kind: string) =>
  page.locator(`.tp-node[data-kind="${kind}"]`).first();

test('app1: the public path from its domain to its pods', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/app1');
  const card = page.getByRole('heading', { name: 'Traffic path' });
  await expect(card).toBeVisible();
  await expect(page.getByTestId('route-health')).toHaveText('✓ healthy');
  await expect(node(page, 'load-balancer')).toHaveAttribute(
    'aria-label',
    /public load balancer 47\.100\.21\.10/,
  );
  await expect(node(page, 'pod')).toHaveAttribute(
    'aria-label',
    /2 pods on 2 nodes/,
  );
  await expect(node(page, 'service')).toHaveAttribute('data-aside', 'true');
  await node(page, 'pod').scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/app1-traffic-path.png',
    fullPage: true,
  });

  // The whole way fits the card (top to bottom): the last hop is inside the drawing.
  const drawing = (await page
    .locator('svg[role="group"]')
    .first()
    .boundingBox())!;
  const last = (await node(page, 'container').boundingBox())!;
  expect(last.x + last.width).toBeLessThanOrEqual(drawing.x + drawing.width);
  expect(last.y + last.height).toBeLessThanOrEqual(drawing.y + drawing.height);

  // The details of the pods, opened from the keyboard.
  await node(page, 'pod').focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('region', { name: 'Details of the Pods hop' }),
  ).toContainText('app1-7d9c5b8f6-k2x8p');

  // Mermaid for the onboarding docs.
  await page.getByRole('button', { name: 'Mermaid' }).click();
  const mermaid = await page.getByTestId('export-mermaid').textContent();
  expect(mermaid).toMatch(/^flowchart LR/);
  expect(mermaid).toContain(
    'public load balancer 47.100.21.10 (alibaba-cloud)',
  );
  expect(mermaid).toContain('-. endpoints .-');
});

test('app3: the internal load balancer, its ACL and a client verdict', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/app3/traffic-path');
  await expect(node(page, 'load-balancer')).toHaveAttribute(
    'aria-label',
    /internal load balancer 10\.17\.0\.200.*acl-2ze0app3/,
  );
  await page.getByRole('textbox', { name: 'Client IP' }).fill('203.0.113.7');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByTestId('verdict').first()).toContainText(
    'blocked at the load balancer hop',
  );
  await expect(node(page, 'load-balancer')).toHaveAttribute(
    'aria-label',
    /Blocks the client/,
  );
  // The whole page in one viewport: a full-page capture would repeat the fixed sidebar mid-page.
  const height = await page.evaluate(() => document.body.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({
    path: 'test-results/screenshots/app3-traffic-path-verdict.png',
  });
});
