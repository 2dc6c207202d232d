/*
 * The review page and the Group/System cards, rendered in a test app with
 * the exposure API answering stored summaries made from real scenarios:
 * filters, sorting, the reports, indirect ownership, empty and error
 * states.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ExposureApi, exposureApiRef, ExposureQuery } from '../../api';
import { breakable, ExposureReview } from './ExposureReview';
import {
  EntityExposureCard,
  EntityExposureChangesCard,
} from './EntityExposureCards';
import { reviewChanges, reviewItems } from './__testUtils__/reviewData';

// Backstage's table is heavy in jsdom, and the machine is shared.
jest.setTimeout(30_000);

/** A column's sort control (the header's outer button). */
const sortControl = (column: string) =>
  screen.getAllByRole('button', { name: column })[0];

const group = (name: string, children: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
  relations: children.map(c => ({
    type: 'parentOf',
    targetRef: `group:default/${c}`,
  })),
});

const groups = [
  group('team-web', ['team-edge']),
  group('team-edge'),
  group('team-data'),
];

/** The child groups the backend finds in the catalog for `ownership=indirect`. */
const childGroups: Record<string, string[]> = {
  'group:default/team-web': ['group:default/team-edge'],
};

/** The backend as the OpenAPI spec describes it, over the stored summaries. */
function fakeExposureApi(overrides: Partial<ExposureApi> = {}) {
  const asked: ExposureQuery[] = [];
  const api: ExposureApi = {
    async getExposure(query) {
      asked.push(query);
      const owners =
        query.ownership === 'indirect'
          ? query.owners?.flatMap(o => [o, ...(childGroups[o] ?? [])])
          : query.owners;
      const items = reviewItems().filter(
        i =>
          (!owners || owners.includes(i.owner ?? '')) &&
          (!query.systems || query.systems.includes(i.system ?? '')),
      );
      return { items };
    },
    async getExposureChanges(query) {
      return {
        items: reviewChanges().filter(
          c =>
            (!query.since || c.at >= query.since) &&
            (!query.entityRefs || query.entityRefs.includes(c.entityRef)),
        ),
      };
    },
    async getExposureReport(query) {
      return {
        format: query.format,
        fileName: `exposure.${query.format === 'csv' ? 'csv' : 'md'}`,
        content: new Blob(['entityRef,host\n'], { type: 'text/csv' }),
      };
    },
    ...overrides,
  };
  return { api, asked };
}

async function render(
  element: JSX.Element,
  api: ExposureApi = fakeExposureApi().api,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[exposureApiRef, api]]}>{element}</TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The body rows of the table, each as its cells' text. */
function tableRows(): string[][] {
  const table = screen.getAllByRole('table').at(-1)!;
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .queryAllByRole('cell')
        .map(c => c.textContent ?? ''),
    )
    .filter(cells => cells.length > 1);
}

/** The table shows the stored summaries (shop's entry point is open to the internet). */
const loaded = () =>
  screen.findAllByText('✕ open to the internet', {}, { timeout: 5000 });

const componentsShown = () => [
  ...new Set(tableRows().map(cells => cells[0].replace('Traffic Path', ''))),
];

describe('ExposureReview (page)', () => {
  it('shows every entry point with who may reach it', async () => {
    await render(<ExposureReview scope={{ kind: 'all' }} />);
    await loaded();
    const shop = tableRows().find(r => r[0].startsWith('shop'))!;
    expect(shop).toEqual(
      expect.arrayContaining([
        'port 80 (Service shop/web)',
        '◉ public',
        'gke 35.200.1.2',
        '✕ open to the internet',
        '! no TLS',
        'i 1 info',
        'prod-eu',
      ]),
    );
    const app3 = tableRows().find(r => r[0].startsWith('app3'))!;
    expect(app3).toEqual(
      expect.arrayContaining([
        'app3.qas.abc.com/',
        '◎ internal',
        'alibaba-cloud 10.17.0.200 (lb-uf6private01)',
        'cloud ACL Alibaba Cloud ACL acl-2ze0app3 (whitelist)',
        '✓ TLS',
      ]),
    );
    expect(app3.at(-1)).toMatch(
      /last scan failed: the cluster did not answer in 10 s \(timeout\)/,
    );
    const blocked = tableRows().find(
      r => r[0].startsWith('ledger') && r.includes('blocked'),
    );
    expect(blocked).toBeDefined();
    expect(tableRows().find(r => r[0].startsWith('batch'))).toContain(
      'no entry points',
    );
    // Each row opens the entity's Traffic Path tab.
    expect(
      screen.getByRole('link', {
        name: 'Traffic Path of component:default/shop',
      }),
    ).toHaveAttribute('href', '/catalog/default/component/shop/traffic-path');
    expect(document.body.textContent).not.toMatch(/undefined|NaN/);
    // A hostname wraps after a dot or a slash, never inside a label.
    const host = screen.getByText(
      (_, el) =>
        el?.tagName === 'CODE' && el.textContent === 'app3.qas.abc.com/',
    );
    expect(host.querySelectorAll('wbr')).toHaveLength(3);
    expect(getComputedStyle(host.parentElement!).wordBreak).not.toBe(
      'break-all',
    );
  });

  it('filters: public only, open to the internet, with errors, cluster, owner', async () => {
    await render(<ExposureReview scope={{ kind: 'all' }} />);
    await loaded();
    const user = userEvent.setup({ delay: null });

    await user.click(screen.getByRole('checkbox', { name: 'Public only' }));
    expect(componentsShown().sort()).toEqual([
      'admin',
      'ledger',
      'partners',
      'shop',
    ]);
    await user.click(
      screen.getByRole('checkbox', { name: 'Open to the internet' }),
    );
    expect(componentsShown().sort()).toEqual(['ledger', 'partners', 'shop']);
    await user.click(screen.getByRole('checkbox', { name: 'Public only' }));
    await user.click(
      screen.getByRole('checkbox', { name: 'Open to the internet' }),
    );

    await user.click(screen.getByRole('checkbox', { name: 'With errors' }));
    expect(componentsShown().sort()).toEqual(['app3', 'orders']);
    await user.click(screen.getByRole('checkbox', { name: 'With errors' }));

    await user.click(screen.getByRole('combobox', { name: 'Cluster' }));
    await user.click(await screen.findByRole('option', { name: 'prod-eu' }));
    expect(componentsShown().sort()).toEqual(['admin', 'partners', 'shop']);
  });

  it('takes in child groups with indirect ownership, asked of the backend', async () => {
    const { api, asked } = fakeExposureApi();
    await render(<ExposureReview scope={{ kind: 'all' }} />, api);
    await loaded();
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByRole('combobox', { name: 'Owner' }));
    await user.click(
      await screen.findByRole('option', { name: 'group:default/team-web' }),
    );
    expect(componentsShown()).toEqual(['shop']);
    await user.click(
      screen.getByRole('checkbox', { name: 'Child groups too' }),
    );
    await waitFor(() =>
      expect(componentsShown().sort()).toEqual(['admin', 'partners', 'shop']),
    );
    expect(asked.at(-1)).toEqual({
      owners: ['group:default/team-web'],
      ownership: 'indirect',
    });
    // The other filters still apply to the backend's rows.
    await user.click(
      screen.getByRole('checkbox', { name: 'Open to the internet' }),
    );
    await waitFor(() =>
      expect(componentsShown().sort()).toEqual(['partners', 'shop']),
    );
  });

  it('keeps the entities changed since a day, with the change', async () => {
    await render(<ExposureReview scope={{ kind: 'all' }} />);
    await loaded();
    fireEvent.change(screen.getByLabelText('Changed since'), {
      target: { value: '2026-11-01' },
    });
    await waitFor(() => expect(componentsShown()).toEqual(['admin']));
    expect(
      screen.getByText(/the source ranges 0\.0\.0\.0\/0 were removed/),
    ).toBeTruthy();
  });

  it('sorts by a column', async () => {
    await render(<ExposureReview scope={{ kind: 'all' }} />);
    await loaded();
    const user = userEvent.setup({ delay: null });
    // Last seen, newest first, by default.
    expect(componentsShown()[0]).toBe('shop');
    // A count sorts most first: errors, then warnings, then infos.
    await user.click(sortControl('Findings'));
    expect(componentsShown()[0]).toBe('orders');
    expect(tableRows().map(r => r[8])).toEqual([
      '✕ 1 error',
      '! 1 warning, i 1 info',
      '! 1 warning, i 1 info',
      'i 1 info',
      'i 1 info',
      'i 1 info',
      'i 1 info',
      'i 1 info',
      'none',
      '',
    ]);
    // The table's first click sorts descending, the second ascending.
    await user.click(sortControl('Component'));
    expect(componentsShown()).toEqual([
      'shop',
      'partners',
      'orders',
      'ledger',
      'batch',
      'app3',
      'admin',
    ]);
    await user.click(sortControl('Component'));
    expect(componentsShown()[0]).toBe('admin');
  });

  it('downloads the CSV and Markdown reports through the API', async () => {
    const getExposureReport = jest.fn(fakeExposureApi().api.getExposureReport);
    const { api } = fakeExposureApi({ getExposureReport });
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((b: Blob) => {
      created.push(b);
      return 'blob:report';
    });
    URL.revokeObjectURL = jest.fn();
    const clicked: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
        clicked.push(this.download);
      });
    await render(<ExposureReview scope={{ kind: 'all' }} />, api);
    await loaded();
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByRole('checkbox', { name: 'Public only' }));
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await user.click(screen.getByRole('button', { name: 'Download Markdown' }));
    expect(getExposureReport.mock.calls.map(c => c[0])).toEqual([
      { publicOnly: true, format: 'csv' },
      { publicOnly: true, format: 'markdown' },
    ]);
    expect(clicked).toEqual(['exposure.csv', 'exposure.md']);
    expect(await created[0].text()).toBe('entityRef,host\n');
    click.mockRestore();
  });

  it('says why when the report cannot be downloaded', async () => {
    const { api } = fakeExposureApi({
      getExposureReport: async () => {
        throw new Error(
          'Traffic Path needs the permission catalog.entity.read',
        );
      },
    });
    await render(<ExposureReview scope={{ kind: 'all' }} />, api);
    await loaded();
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(
      await screen.findByText(/The report could not be downloaded/),
    ).toBeTruthy();
  });

  it('says when nothing is stored, and when the filters keep nothing', async () => {
    const { api } = fakeExposureApi({
      getExposure: async () => ({ items: [] }),
    });
    await render(<ExposureReview scope={{ kind: 'all' }} />, api);
    expect(await screen.findByText(/No stored summaries yet/)).toBeTruthy();
  });

  it('shows the backend error instead of the table', async () => {
    const { api } = fakeExposureApi({
      getExposure: async () => {
        throw new Error('owner: "team web" is not an entity reference');
      },
    });
    await render(<ExposureReview scope={{ kind: 'all' }} />, api);
    expect(
      await screen.findByText(/The exposure summaries could not be read/),
    ).toBeTruthy();
    expect(
      screen.getAllByText(/"team web" is not an entity reference/).length,
    ).toBeGreaterThan(0);
  });
});

describe('breakable', () => {
  it('offers a break after each dot, slash and hyphen only', () => {
    const parts = breakable('www.shop-1.example.org/legacy');
    expect(parts.filter(p => typeof p === 'string')).toEqual([
      'www.',
      'shop-',
      '1.',
      'example.',
      'org/',
      'legacy',
    ]);
  });
});

describe('EntityExposureCard', () => {
  it("lists a group's entry points, and its child groups' with the toggle", async () => {
    const { api, asked } = fakeExposureApi();
    await render(
      <EntityProvider entity={groups[0]}>
        <EntityExposureCard />
      </EntityProvider>,
      api,
    );
    await loaded();
    expect(componentsShown()).toEqual(['shop']);
    expect(asked.at(-1)).toEqual({ owners: ['group:default/team-web'] });
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Child groups too' }),
    );
    await waitFor(() =>
      expect(componentsShown().sort()).toEqual(['admin', 'partners', 'shop']),
    );
    expect(asked.at(-1)).toEqual({
      owners: ['group:default/team-web'],
      ownership: 'indirect',
    });
    // The card leaves out the owner column.
    expect(screen.queryAllByRole('button', { name: 'Owner' })).toEqual([]);
  });

  it("lists a system's entry points", async () => {
    const { api, asked } = fakeExposureApi();
    const system: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'storefront', namespace: 'default' },
      spec: { owner: 'group:default/team-web' },
    };
    await render(
      <EntityProvider entity={system}>
        <EntityExposureCard />
      </EntityProvider>,
      api,
    );
    await loaded();
    expect(componentsShown().sort()).toEqual(['admin', 'shop']);
    expect(asked.at(-1)).toEqual({
      systems: ['system:default/storefront'],
    });
    expect(
      screen.queryByRole('checkbox', { name: 'Child groups too' }),
    ).toBeNull();
  });
});

describe('EntityExposureChangesCard', () => {
  const component = (name: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner: 'group:default/team-edge' },
  });

  it("lists the component's recent changes, asked by entity", async () => {
    const getExposureChanges = jest.fn(
      fakeExposureApi().api.getExposureChanges,
    );
    const { api } = fakeExposureApi({ getExposureChanges });
    await render(
      <EntityProvider entity={component('admin')}>
        <EntityExposureChangesCard />
      </EntityProvider>,
      api,
    );
    expect(
      await screen.findByText(
        'admin: the source ranges 0.0.0.0/0 were removed',
      ),
    ).toBeTruthy();
    expect(screen.getByText(/in prod-eu/)).toBeTruthy();
    expect(getExposureChanges).toHaveBeenCalledWith({
      entityRefs: ['component:default/admin'],
      limit: 10,
    });
  });

  it('says when nothing changed', async () => {
    await render(
      <EntityProvider entity={component('shop')}>
        <EntityExposureChangesCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('No change of its entry points recorded yet.'),
    ).toBeTruthy();
  });
});
