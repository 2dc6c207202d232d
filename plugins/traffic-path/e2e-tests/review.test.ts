/*
 * The ownership review in the portal, against the embedded demo cluster
 * (seed 004) once the backend's first scan has stored its summaries: the
 * page at /traffic-path (filters, sorting, the CSV download, a row's link
 * to the entity's Traffic Path) and the card on the Group's page, in the
 * light and dark themes, with a screenshot of each.
 */
import { readFileSync } from 'node:fs';
import { expect, Locator, Page, test } from '@playwright/test';

async function signIn(page: Page, theme: 'light' | 'dark' = 'light') {
  await page.addInitScript(id => {
    window.localStorage.setItem('theme', id);
  }, theme);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'app1', exact: true }),
  ).toBeVisible();
}

/** The review table (the last table on the page: the card's or the page's). */
const reviewTable = (page: Page) =>
  page
    .locator('table')
    .filter({ has: page.getByRole('columnheader', { name: 'Entry point' }) })
    .last();

/** The components the table shows, in order, once each. */
async function componentsShown(table: Locator): Promise<string[]> {
  const names = await table
    .locator('tbody tr')
    .evaluateAll(rows =>
      rows
        .filter(r => r.querySelectorAll('td').length > 1)
        .map(r =>
          (r.querySelector('td')?.textContent ?? '').replace(
            'Traffic Path',
            '',
          ),
        ),
    );
  return [...new Set(names)];
}

/** The first scan runs about 30 s after the backend starts: reload until the summaries are there. */
async function openWhenScanned(page: Page, path: string) {
  await expect(async () => {
    await page.goto(path);
    await expect(page.getByText('app1.qas.abc.com/').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
}

test('the review page: filters, sorting, the CSV report and a row’s Traffic Path', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);
  // The sidebar entry leads to the page.
  await page.getByRole('link', { name: 'Traffic Path' }).first().click();
  await expect(page).toHaveURL(/\/traffic-path$/);
  await openWhenScanned(page, '/traffic-path');
  const table = reviewTable(page);

  const all = await componentsShown(table);
  expect(all).toEqual(expect.arrayContaining(['app1', 'app2', 'app3']));
  // app3 is internal behind its Alibaba Cloud ACL; app1 is open to the internet.
  const app3 = table.locator('tr', { hasText: 'app3.qas.abc.com/' }).first();
  await expect(app3).toContainText('◎ internal');
  await expect(app3).toContainText('cloud ACL');
  await expect(app3).toContainText('acl-2ze0app3');
  const app1 = table.locator('tr', { hasText: 'app1.qas.abc.com/' }).first();
  await expect(app1).toContainText('◉ public');
  await expect(app1).toContainText('open to the internet');
  await expect(app1).toContainText('47.100.21.10');
  await expect(app1).toContainText('✓ TLS');

  // Filters.
  await page.getByRole('checkbox', { name: 'Public only' }).check();
  await expect(table.getByText('app3.qas.abc.com/')).toHaveCount(0);
  await expect(table.getByText('app1.qas.abc.com/')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Public only' }).uncheck();
  await page.getByRole('checkbox', { name: 'Open to the internet' }).check();
  const open = await componentsShown(table);
  expect(open).toEqual(expect.arrayContaining(['app1', 'app2']));
  expect(open).not.toContain('app3');
  await page.getByRole('checkbox', { name: 'Open to the internet' }).uncheck();
  await page.getByRole('combobox', { name: 'Owner' }).click();
  await page
    .getByRole('option', { name: 'group:default/platform-team' })
    .click();
  await page.keyboard.press('Escape');
  expect(await componentsShown(table)).toEqual(
    expect.arrayContaining(['app1', 'app2', 'app3']),
  );

  // Sorting: the table's first click sorts descending, the second ascending.
  const sortBy = (column: string) =>
    table
      .getByRole('columnheader', { name: column })
      .locator('.MuiTableSortLabel-root')
      .click();
  await sortBy('Component');
  const descending = await componentsShown(table);
  expect(descending).toEqual([...descending].sort().reverse());
  await sortBy('Component');
  const ascending = await componentsShown(table);
  expect(ascending).toEqual([...ascending].sort());

  await page.screenshot({
    path: 'test-results/screenshots/traffic-path-review-light.png',
    fullPage: true,
  });

  // The CSV report, downloaded through fetchApi with the user's token.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  // The backend's name when CORS exposes Content-Disposition, else the client's own.
  expect(download.suggestedFilename()).toMatch(/exposure\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  expect(header.toLowerCase()).toContain('host');
  expect(lines.some(l => l.includes('app1.qas.abc.com'))).toBe(true);
  expect(lines.some(l => l.includes('app3.qas.abc.com'))).toBe(true);
  expect(csv).not.toMatch(/undefined/);

  // A row opens the entity's Traffic Path tab.
  await page
    .getByRole('link', { name: 'Traffic Path of component:default/app3' })
    .first()
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/app3\/traffic-path$/,
  );
});

test('the review page in the dark theme', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, 'dark');
  await openWhenScanned(page, '/traffic-path');
  await expect(page.locator('body')).toHaveAttribute('data-theme-mode', 'dark');
  // The table follows the theme: a dark ground under light text.
  const colours = await reviewTable(page)
    .locator('tbody td')
    .first()
    .evaluate(td => {
      const style = getComputedStyle(td);
      let el: HTMLElement | null = td as HTMLElement;
      let ground = 'rgba(0, 0, 0, 0)';
      while (el && ground === 'rgba(0, 0, 0, 0)') {
        ground = getComputedStyle(el).backgroundColor;
        el = el.parentElement;
      }
      return { text: style.color, ground };
    });
  const level = (c: string) =>
    c
      .match(/\d+/g)!
      .slice(0, 3)
      .map(Number)
      .reduce((a, b) => a + b, 0) / 3;
  expect(level(colours.ground)).toBeLessThan(80);
  expect(level(colours.text)).toBeGreaterThan(170);
  await page.screenshot({
    path: 'test-results/screenshots/traffic-path-review-dark.png',
    fullPage: true,
  });
});

test('the card on the Group’s page', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page);
  await openWhenScanned(page, '/catalog/default/group/platform-team');
  const card = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Traffic Path: entry points' });
  await expect(card).toBeVisible();
  const table = card.locator('table').last();
  expect(await componentsShown(table)).toEqual(
    expect.arrayContaining(['app1', 'app2', 'app3']),
  );
  await card.getByRole('checkbox', { name: 'Public only' }).check();
  await expect(card.getByText('app3.qas.abc.com/')).toHaveCount(0);
  await card.getByRole('checkbox', { name: 'Public only' }).uncheck();
  await card.getByRole('checkbox', { name: 'Child groups too' }).check();
  await expect(card.getByText('app1.qas.abc.com/').first()).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/traffic-path-review-group.png',
    fullPage: true,
  });
});
