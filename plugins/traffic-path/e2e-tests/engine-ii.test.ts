/*
 * Engine II in the portal, against the embedded demo cluster (scenario
 * portal-storefront): the storefront's 90/10 HTTPRoute split with the
 * NetworkPolicy that admits Envoy Gateway, the legacy Traefik route whose
 * middleware is not modelled, and storefront-reviews refused by its policy.
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

/** Picks a route in the card's route picker by the words of its option. */
async function pickRoute(page: Page, words: string | RegExp) {
  await page.getByRole('combobox', { name: 'Route' }).click();
  await page.getByRole('option', { name: words }).click();
  await expect(page.getByRole('listbox')).toHaveCount(0);
}

test('storefront: weighted backends behind the NetworkPolicy that admits the gateway, and a hop not modelled', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/storefront');
  await expect(
    page.getByRole('heading', { name: 'Traffic path' }),
  ).toBeVisible();

  // Both backends of the rule, each with its share.
  await page.getByRole('combobox', { name: 'Route' }).click();
  const options = page.getByRole('option');
  await expect(
    options.filter({ hasText: '90% to storefront (weight 90)' }),
  ).toHaveCount(1);
  await expect(
    options.filter({ hasText: '10% to storefront-canary (weight 10)' }),
  ).toHaveCount(1);
  await page.keyboard.press('Escape');

  await pickRoute(page, /90% to storefront \(weight 90\)/);
  await expect(page.getByTestId('route-health')).toHaveText('✓ healthy');
  await expect(node(page, 'ingress-controller')).toHaveAttribute(
    'aria-label',
    /Gateway infra\/web/,
  );
  await expect(node(page, 'network-policy')).toHaveAttribute(
    'aria-label',
    /NetworkPolicy storefront\/storefront-allow-proxies: 2 of 2 pods isolated; source seen: 1 pod of Gateway infra\/web/,
  );
  await expect(node(page, 'pod')).toHaveAttribute(
    'aria-label',
    /2 pods on 2 nodes/,
  );
  await node(page, 'network-policy').scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/storefront-network-policy.png',
    fullPage: true,
  });

  // The policy's decision per pod, in the hop's details.
  await node(page, 'network-policy').focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('region', { name: 'Details of the Network policy hop' }),
  ).toContainText('storefront-7f8b9c6d5-h2j4k');

  await pickRoute(page, /10% to storefront-canary \(weight 10\)/);
  await expect(node(page, 'network-policy')).toHaveAttribute(
    'aria-label',
    /1 of 1 pods isolated/,
  );
  await expect(node(page, 'pod')).toHaveAttribute(
    'aria-label',
    /1 pod on 1 node/,
  );

  // The Traefik middleware the engine does not model: a hop that says so.
  await pickRoute(page, /www\.shop\.example\.org\/legacy/);
  await expect(node(page, 'not-modelled')).toHaveAttribute(
    'aria-label',
    /not modelled: middleware storefront\/strip-legacy \(stripPrefix\)/,
  );
  await expect(page.getByTestId('route-health')).toContainText('unknown');
  await node(page, 'not-modelled').scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/storefront-not-modelled.png',
    fullPage: true,
  });
});

test('storefront-reviews: refused by its NetworkPolicy', async ({ page }) => {
  await signIn(page);
  await page.goto('/catalog/default/component/storefront-reviews');
  await expect(page.getByTestId('route-health')).toContainText('broken');
  await expect(node(page, 'network-policy')).toHaveAttribute(
    'aria-label',
    /NetworkPolicy storefront\/reviews-allow-storefront/,
  );
  await expect(node(page, 'network-policy')).toHaveAttribute(
    'data-status',
    'broken',
  );
  const finding = page
    .getByRole('list', { name: 'Findings' })
    .locator('[data-code="NETWORK_POLICY_BLOCKS_CONTROLLER"]');
  await expect(finding).toContainText(
    'refuses 1 pod of Gateway infra/web on 1 of them',
  );
  await node(page, 'network-policy').scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/storefront-reviews-broken.png',
    fullPage: true,
  });
});
