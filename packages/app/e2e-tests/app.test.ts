import { test, expect } from '@playwright/test';

test('the demo catalog shows app1 and its Kubernetes annotations', async ({
  page,
}) => {
  await page.goto('/');

  // Guest sign-in, as the demo portal is configured.
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  // The catalog is the landing page and lists the services of seed 004.
  await expect(
    page.getByRole('link', { name: 'app1', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'app3', exact: true }),
  ).toBeVisible();

  await page.getByRole('link', { name: 'app1', exact: true }).click();
  await expect(
    page.getByRole('heading', { name: 'app1' }).first(),
  ).toBeVisible();
  await expect(
    page.getByText('Public web service, served at app1.qas.abc.com.').first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/app1-overview.png',
    fullPage: true,
  });

  // The Kubernetes tab of the entity loads (the cluster itself may be unreachable).
  await page.getByRole('link', { name: 'Kubernetes', exact: true }).click();
  await expect(page).toHaveURL(/\/kubernetes/);
  // The Kubernetes plugin reads app1's objects from the embedded demo cluster.
  await expect(
    page.getByRole('heading', { name: 'Your Clusters' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: /demo/ })).toBeVisible();
  await expect(page.getByText('2 pods')).toBeVisible();
  await expect(
    page.getByText('There was a problem retrieving Kubernetes objects'),
  ).toHaveCount(0);
  await page.screenshot({
    path: 'test-results/screenshots/app1-kubernetes.png',
    fullPage: true,
  });

  // app3 is linked by a label selector instead of an id.
  await page.goto('/catalog/default/component/app3/kubernetes');
  await expect(page.getByText(/^1 pods?$/)).toBeVisible();
});
