/*
 * The card in every state, on routes the engine resolves from the seed
 * clusters: loading, no annotation, cluster errors, the drawn path, the
 * details of a hop by keyboard and the whole text of a cut hop on focus,
 * the client-IP test, findings, exports and the docs link of the chosen
 * cluster, and cluster data rendered as text only.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { discoveryApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { themes, UnifiedThemeProvider } from '@backstage/theme';
import { EntityRoutes } from '@internal/plugin-traffic-path-common';
import { TrafficPathApi, trafficPathApiRef } from '../api';
import {
  entity,
  entityRoutes,
  scenarioReport,
} from '../__testUtils__/scenarios';
import {
  EntityTrafficPathCard,
  EntityTrafficPathPage,
} from './EntityTrafficPath';

const seed004 = scenarioReport(['seed-004/cluster']);

function fakeApi(
  answer: (clientIp?: string) => Promise<EntityRoutes>,
): TrafficPathApi & { calls: (string | undefined)[]; refreshes: boolean[] } {
  const calls: (string | undefined)[] = [];
  const refreshes: boolean[] = [];
  return {
    calls,
    refreshes,
    getRoutes: ({ clientIp, refresh }) => {
      calls.push(clientIp);
      refreshes.push(refresh === true);
      return answer(clientIp);
    },
  };
}

const discovery = {
  getBaseUrl: async (id: string) => `https://backstage.example.com/api/${id}`,
};

async function renderCard(
  api: TrafficPathApi,
  forEntity: Entity = entity('app1'),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [trafficPathApiRef, api],
        [discoveryApiRef, discovery],
      ]}
    >
      <EntityProvider entity={forEntity}>
        <EntityTrafficPathCard />
      </EntityProvider>
    </TestApiProvider>,
    // Mounted elsewhere than the usual /catalog: the card's links follow the app.
    {
      mountedRoutes: {
        '/portal/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const app1Answer = (clientIp?: string) =>
  Promise.resolve(
    entityRoutes(
      'component:default/app1',
      scenarioReport(['seed-004/cluster'], { clientIp }),
      'app1-service',
    ),
  );
const app1 = app1Answer;
const app3 = (clientIp?: string) =>
  Promise.resolve(
    entityRoutes(
      'component:default/app3',
      scenarioReport(['seed-004/cluster'], { clientIp }),
      'app3-service',
    ),
  );

describe('EntityTrafficPathCard', () => {
  it('shows progress while loading', async () => {
    await renderCard(fakeApi(() => new Promise(() => {})));
    // Backstage's Progress shows after a short delay, so quick answers do not flash it.
    expect(
      await screen.findByLabelText('Loading traffic paths'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('route-health')).toBeNull();
  });

  it('names the missing annotation without asking the backend when the entity has none', async () => {
    const api = fakeApi(app1Answer);
    await renderCard(api, entity('docs', {}));
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(api.calls).toEqual([]);
  });

  it('says which annotation to add when the backend finds the entity unconfigured', async () => {
    await renderCard(
      fakeApi(() =>
        Promise.resolve({
          entityRef: 'component:default/docs',
          configured: false,
          hint: 'Add the annotation backstage.io/kubernetes-id.',
          clusters: [],
        }),
      ),
      entity('docs'),
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-label-selector/).length,
    ).toBeGreaterThan(0);
  });

  it('shows an error for a failing cluster and the routes of the others', async () => {
    await renderCard(
      fakeApi(async () => {
        const ok = await app1();
        return {
          ...ok,
          clusters: [
            ...ok.clusters,
            {
              cluster: 'eu-west',
              error: {
                reason: 'timeout',
                message: 'the cluster did not answer within 10 s',
              },
            },
          ],
        };
      }),
    );
    expect(await screen.findByTestId('cluster-error')).toHaveTextContent(
      'Cluster eu-west did not answer in time: the cluster did not answer within 10 s',
    );
    expect(screen.getByTestId('route-health')).toHaveTextContent('✓ healthy');
  });

  it('says so when no cluster is configured for the entity', async () => {
    await renderCard(
      fakeApi(async () => ({
        entityRef: 'component:default/app1',
        configured: true,
        clusters: [],
      })),
    );
    expect(
      await screen.findByText('No cluster is configured for this entity'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: /^Path of/ })).toBeNull();
  });

  it('says so when no route from outside reaches the entity', async () => {
    await renderCard(
      fakeApi(async () =>
        entityRoutes(
          'component:default/app1',
          seed004,
          'a-service-nothing-routes-to',
        ),
      ),
    );
    expect(
      await screen.findByText('No route from outside reaches this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Its Services in demo have no Ingress/),
    ).toBeInTheDocument();
  });

  it('keeps the routes on screen while Refresh reads the clusters again', async () => {
    let answered = 0;
    const api = fakeApi(() =>
      answered++ === 0 ? app1() : new Promise<EntityRoutes>(() => {}),
    );
    await renderCard(api);
    await screen.findByTestId('route-health');
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh the traffic paths' }),
    );
    expect(
      await screen.findByLabelText('Refreshing traffic paths'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('route-health')).toHaveTextContent('healthy');
    expect(
      screen.getByRole('button', { name: 'Refresh the traffic paths' }),
    ).toBeDisabled();
    expect(api.refreshes).toEqual([false, true]);
  });

  it('shows the error when the backend fails, and loads again on refresh', async () => {
    let fail = true;
    const api = fakeApi(() =>
      fail ? Promise.reject(new Error('HTTP 503')) : app1(),
    );
    await renderCard(api);
    expect(
      await screen.findByText(/Traffic Path could not load the routes/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/HTTP 503/).length).toBeGreaterThan(0);
    fail = false;
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh the traffic paths' }),
    );
    expect(await screen.findByTestId('route-health')).toHaveTextContent(
      'healthy',
    );
    expect(api.calls).toHaveLength(2);
    // Refresh reads the clusters again; the loads after it take the cache as usual.
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Client IP' }),
      '203.0.113.7',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(api.calls).toHaveLength(3));
    expect(api.refreshes).toEqual([false, true, false]);
  });

  it('draws app1: its public load balancer, the ClusterIP aside, its pods, and the hop table', async () => {
    const { container } = await renderCard(fakeApi(app1));
    await screen.findByTestId('route-health');
    const lb = container.querySelector('.tp-node[data-kind="load-balancer"]')!;
    expect(lb.getAttribute('aria-label')).toBe(
      'Load balancer: ok. public load balancer 47.100.21.10 (alibaba-cloud). public',
    );
    expect(
      container
        .querySelector('.tp-node[data-kind="service"]')!
        .getAttribute('data-aside'),
    ).toBe('true');
    expect(
      container.querySelector('.tp-node[data-kind="service"]')!.textContent,
    ).toContain('ClusterIP not on the way');
    // Drawn in the app's theme (light in the test app).
    expect(container.querySelector('svg[data-theme="light"]')).not.toBeNull();
    expect(
      container
        .querySelector('.tp-node[data-kind="pod"]')!
        .getAttribute('aria-label'),
    ).toContain('2 pods on 2 nodes');
    const table = screen.getByRole('table', {
      name: 'Hop table of app1.qas.abc.com',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(
      1 +
        seed004.routes.find(r => r.entry.host === 'app1.qas.abc.com')!.table
          .length,
    );
    // The client connects to the LB, which forwards from it: its address is in two rows.
    expect(within(table).getAllByText('47.100.21.10:443')).toHaveLength(2);
  });

  it('draws in the dark theme on a dark ground, never a white rectangle', async () => {
    const { container } = await renderInTestApp(
      <UnifiedThemeProvider theme={themes.dark}>
        <TestApiProvider apis={[[trafficPathApiRef, fakeApi(app1)]]}>
          <EntityProvider entity={entity('app1')}>
            <EntityTrafficPathCard />
          </EntityProvider>
        </TestApiProvider>
      </UnifiedThemeProvider>,
      {
        mountedRoutes: {
          '/portal/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
    await screen.findByTestId('route-health');
    const svg = container.querySelector('svg[data-theme="dark"]')!;
    expect(svg).not.toBeNull();
    const dark = themes.dark.getTheme('v5')!.palette;
    expect(svg.querySelector('.tp-ground')!.getAttribute('fill')).toBe(
      dark.background.default,
    );
    const fills = [...svg.querySelectorAll('.tp-node-frame')].map(r =>
      r.getAttribute('fill')!.toLowerCase(),
    );
    expect(fills.length).toBeGreaterThan(5);
    expect(fills).not.toContain('#ffffff');
    expect(new Set(fills)).toEqual(
      new Set(
        [dark.background.paper, dark.background.default].map(f =>
          f.toLowerCase(),
        ),
      ),
    );
  });

  it('zooms with the buttons and resets to the starting scale', async () => {
    const { container } = await renderCard(fakeApi(app1));
    await screen.findByTestId('route-health');
    const canvas = container.querySelector('.tp-canvas')!;
    const scale = () =>
      Number(/scale\(([\d.]+)\)/.exec(canvas.getAttribute('transform')!)![1]);
    expect(scale()).toBe(1);
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(scale()).toBeCloseTo(1.25);
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(scale()).toBeCloseTo(0.8);
    await userEvent.click(screen.getByRole('button', { name: 'Reset zoom' }));
    expect(scale()).toBe(1);
  });

  it('expands the pods on demand', async () => {
    const { container } = await renderCard(fakeApi(app1));
    await screen.findByTestId('route-health');
    await userEvent.click(screen.getByText('+ show 2 pods'));
    const pods = container.querySelectorAll('.tp-node[data-kind="pod"]');
    expect([...pods].map(p => p.getAttribute('aria-label'))).toEqual([
      expect.stringContaining('2 pods on 2 nodes'),
      expect.stringContaining('app1-7d9c5b8f6-k2x8p'),
      expect.stringContaining('app1-7d9c5b8f6-m4n7q'),
    ]);
  });

  it('opens the details of a hop from the keyboard', async () => {
    const { container } = await renderCard(fakeApi(app3));
    await screen.findByTestId('route-health');
    const lb = container.querySelector<SVGGElement>(
      '.tp-node[data-kind="load-balancer"]',
    )!;
    lb.focus();
    await userEvent.keyboard('{Enter}');
    const details = screen.getByRole('region', {
      name: 'Details of the Load balancer hop',
    });
    expect(within(details).getByText('10.17.0.200')).toBeInTheDocument();
    expect(within(details).getByText('lb-uf6private01')).toBeInTheDocument();
    expect(
      within(details).getByText(/entries live in the cloud, not visible/),
    ).toBeInTheDocument();
    expect(
      within(details).getByRole('link', { name: 'open the Kubernetes tab' }),
    ).toHaveAttribute(
      'href',
      '/portal/catalog/default/component/app1/kubernetes',
    );
  });

  it('shows the whole text of a cut hop when the keyboard focuses it', async () => {
    const long = 'and a very long note '.repeat(40);
    const { container } = await renderCard(
      fakeApi(async () => {
        const data = await app3();
        const cluster = data.clusters[0] as Extract<
          EntityRoutes['clusters'][number],
          { report: unknown }
        >;
        const routes = cluster.report.routes.map(r => ({
          ...r,
          hops: r.hops.map(h =>
            h.kind === 'load-balancer'
              ? { ...h, label: `${h.label} ${long}` }
              : h,
          ),
        }));
        return {
          ...data,
          clusters: [{ ...cluster, report: { ...cluster.report, routes } }],
        };
      }),
    );
    await screen.findByTestId('route-health');
    const node = (kind: string) =>
      container.querySelector<SVGGElement>(`.tp-node[data-kind="${kind}"]`)!;
    const lb = node('load-balancer');
    expect(lb).toHaveAttribute('data-cut', 'true');
    // What the drawing shows of it ends in "…", without the end of the label.
    const shown = Array.from(lb.querySelectorAll('text'), t => t.textContent);
    expect(shown.join(' ')).toContain('…');
    expect(shown.join(' ').split('long note').length - 1).toBeLessThan(40);
    const full = lb.getAttribute('aria-label')!;
    expect(full).toContain(long.trim());

    // jsdom's own :focus-visible misses focus moved by Tab from one element
    // to the next; without it MUI falls back on its keyboard-or-pointer
    // tracking, as in a browser that lacks the selector.
    const { matches } = Element.prototype;
    const noFocusVisible = jest
      .spyOn(Element.prototype, 'matches')
      .mockImplementation(function matchesWithout(
        this: Element,
        selector: string,
      ) {
        if (selector === ':focus-visible') throw new SyntaxError(selector);
        return matches.call(this, selector);
      });
    try {
      // Tab through the card, as a keyboard user does, to the cut hop.
      for (let i = 0; i < 40 && document.activeElement !== lb; i++)
        await userEvent.tab();
      expect(lb).toHaveFocus();
      const tip = await screen.findByRole('tooltip');
      expect(tip).toHaveTextContent(full);
      expect(tip).toBeVisible();
      // The accessible name stays the hop's, said once.
      expect(lb).toHaveAttribute('aria-label', full);
      expect(lb).not.toHaveAttribute('aria-describedby');

      // Escape closes it; a hop whose text is whole needs none.
      await userEvent.keyboard('{Escape}');
      await waitFor(() =>
        expect(screen.queryByRole('tooltip')).not.toBeInTheDocument(),
      );
      const ingress = node('ingress-controller');
      expect(ingress).not.toHaveAttribute('data-cut');
      for (let i = 0; i < 40 && document.activeElement !== ingress; i++)
        await userEvent.tab();
      expect(ingress).toHaveFocus();
      await new Promise(r => setTimeout(r, 300));
      expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();

      // Under the mouse the SVG's own title is the tooltip: a click opens no other.
      await userEvent.click(lb);
      await new Promise(r => setTimeout(r, 300));
      expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
    } finally {
      noFocusVisible.mockRestore();
    }
    // Tabs through the whole card twice: longer than the default 5 s on a busy machine.
  }, 20_000);

  it('shows the NetworkPolicy hop that refuses the controller, and its details: the policies and the verdict per pod', async () => {
    const report = scenarioReport([
      '_shared/ingress-nginx.yaml',
      '_shared/shop-web.yaml',
      'network-policy-ingress-nginx/cluster',
    ]);
    const refused = report.routes.find(r => r.id === 'ingress:shop/web:0:0')!;
    const { container } = await renderCard(
      fakeApi(async () => {
        const data = entityRoutes(
          'component:default/web',
          report,
          refused.backend!.name,
        );
        const cluster = data.clusters[0] as Extract<
          EntityRoutes['clusters'][number],
          { report: unknown }
        >;
        return {
          ...data,
          clusters: [
            { ...cluster, report: { ...cluster.report, routes: [refused] } },
          ],
        };
      }),
      entity('web'),
    );
    expect(await screen.findByTestId('route-health')).toHaveTextContent(
      '✕ broken at the network-policy hop',
    );
    const policy = container.querySelector<SVGGElement>(
      '.tp-node[data-kind="network-policy"]',
    )!;
    expect(policy.getAttribute('aria-label')).toMatch(
      /^Network policy: broken\./,
    );
    policy.focus();
    await userEvent.keyboard('{Enter}');
    const details = screen.getByRole('region', {
      name: 'Details of the Network policy hop',
    });
    expect(
      within(details).getByText(
        'shop/default-deny-all, shop/web-allow-frontend',
      ),
    ).toBeInTheDocument();
    expect(within(details).getAllByText(/^refused: /)).toHaveLength(2);
    expect(details).not.toHaveTextContent('undefined');
  });

  it('tells weighted backends of one rule apart in the route picker', async () => {
    const { container } = await renderCard(
      fakeApi(async () => {
        const data = await app1();
        const cluster = data.clusters[0] as Extract<
          EntityRoutes['clusters'][number],
          { report: unknown }
        >;
        const [route] = cluster.report.routes;
        const routes = [
          { ...route, weight: { weight: 90, share: 0.9 } },
          {
            ...route,
            id: `${route.id}:canary`,
            backend: { ...route.backend!, name: 'app1-canary' },
            weight: { weight: 10, share: 0.1 },
          },
        ];
        return {
          ...data,
          clusters: [{ ...cluster, report: { ...cluster.report, routes } }],
        };
      }),
    );
    await screen.findByTestId('route-health');
    expect(
      screen.getByText('90% to app1-service (weight 90)'),
    ).toBeInTheDocument();
    await userEvent.click(
      container.querySelector<HTMLElement>('[aria-haspopup="listbox"]')!,
    );
    expect(
      await screen.findByText('10% to app1-canary (weight 10)'),
    ).toBeInTheDocument();
  });

  it('brings the details into view under the drawing in the card, and keeps them beside it in the tab', async () => {
    const scrolled = jest.fn();
    Element.prototype.scrollIntoView = scrolled;
    const { container } = await renderCard(fakeApi(app3));
    await screen.findByTestId('route-health');
    container
      .querySelector<SVGGElement>('.tp-node[data-kind="client"]')!
      .focus();
    await userEvent.keyboard('{Enter}');
    expect(
      screen.getByRole('region', { name: 'Details of the Client hop' }),
    ).toBeInTheDocument();
    expect(scrolled).toHaveBeenCalledTimes(1);

    scrolled.mockClear();
    const page = await renderInTestApp(
      <TestApiProvider apis={[[trafficPathApiRef, fakeApi(app3)]]}>
        <EntityProvider entity={entity('app3')}>
          <EntityTrafficPathPage />
        </EntityProvider>
      </TestApiProvider>,
      {
        mountedRoutes: {
          '/portal/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
    await within(page.container).findByTestId('route-health');
    page.container
      .querySelector<SVGGElement>('.tp-node[data-kind="dns"]')!
      .focus();
    await userEvent.keyboard('{Enter}');
    expect(
      within(page.container).getByRole('region', {
        name: 'Details of the DNS hop',
      }),
    ).toBeInTheDocument();
    expect(scrolled).not.toHaveBeenCalled();
  });

  it('tests a client IP: the verdict per route and the blocking hop', async () => {
    const api = fakeApi(app3);
    const { container } = await renderCard(api);
    await screen.findByTestId('route-health');
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Client IP' }),
      '203.0.113.7',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(await screen.findByTestId('verdict')).toHaveTextContent(
      '✕ app3.qas.abc.com/ from 203.0.113.7: blocked at the load balancer hop',
    );
    expect(api.calls).toEqual([undefined, '203.0.113.7']);
    expect(
      container
        .querySelector('.tp-node[data-kind="load-balancer"]')!
        .getAttribute('aria-label'),
    ).toContain('Blocks the client');
  });

  it('refuses a client IP that is not an address, without asking the backend', async () => {
    const api = fakeApi(app1);
    await renderCard(api);
    await screen.findByTestId('route-health');
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Client IP' }),
      'my laptop',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(
      screen.getByText('"my laptop" is not an IPv4 or IPv6 address'),
    ).toBeInTheDocument();
    expect(api.calls).toEqual([undefined]);
  });

  it('lists the findings of the route with their fix and command, and highlights their hop', async () => {
    const { container } = await renderCard(fakeApi(app3));
    await screen.findByTestId('route-health');
    const findings = screen.getByRole('list', { name: 'Findings' });
    const item = within(findings).getByText('ACL_NOT_VISIBLE').closest('li')!;
    expect(item).toHaveTextContent('Fix:');
    await userEvent.hover(item);
    expect(
      container.querySelector(
        '.tp-node[data-kind="load-balancer"] rect[stroke-dasharray="3 3"]',
      ),
    ).not.toBeNull();
  });

  it('exports Mermaid and Markdown, and lists the commands that check each hop', async () => {
    await renderCard(fakeApi(app1));
    await screen.findByTestId('route-health');
    await userEvent.click(screen.getByRole('button', { name: 'Mermaid' }));
    const mermaid = screen.getByTestId('export-mermaid').textContent!;
    expect(mermaid).toMatch(/^flowchart LR/);
    expect(mermaid).toContain(
      'load-balancer: public load balancer 47.100.21.10 (alibaba-cloud)',
    );
    expect(mermaid).toContain('-. endpoints .-');
    await userEvent.click(screen.getByRole('button', { name: 'Markdown' }));
    expect(screen.getByTestId('export-markdown').textContent).toContain(
      '| step |',
    );
    expect(
      screen.getByText('dig +short app1.qas.abc.com A app1.qas.abc.com AAAA'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/ipvsadm -Ln -t 10\.17\.10\.11:3\d+/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'kubectl get endpointslices -n app -l kubernetes.io/service-name=app1-service -o wide',
      ),
    ).toBeInTheDocument();
  });

  it("links docs to the diagram of the chosen route's cluster when the entity is in several", async () => {
    const writeText = jest.fn(async (_: string) => {});
    Object.assign(navigator, { clipboard: { writeText } });
    const api = fakeApi(async () => {
      const data = await app1();
      // The same objects in a second cluster: the same host and path twice.
      return {
        ...data,
        clusters: [
          ...data.clusters,
          ...data.clusters.map(c => ({ ...c, cluster: 'prod' })),
        ],
      };
    });
    const { container } = await renderCard(api);
    await screen.findByTestId('route-health');
    await userEvent.click(
      container.querySelector<HTMLElement>('[aria-haspopup="listbox"]')!,
    );
    const options = await screen.findAllByRole('option');
    const prod = options.find(o => o.textContent?.includes('cluster prod'))!;
    expect(prod).toHaveTextContent('app1.qas.abc.com/');
    await userEvent.click(prod);
    expect(screen.getByText(/· cluster prod$/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy link for docs' }),
    );
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    const url = new URL(/\((.*)\)$/.exec(writeText.mock.calls[0][0])![1]);
    expect(url.pathname).toBe('/api/traffic-path/v1/diagram');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      entityRef: 'component:default/app1',
      cluster: 'prod',
      host: 'app1.qas.abc.com',
      path: '/',
      format: 'svg',
      theme: 'light',
    });
  });

  it('renders names and annotations from clusters as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const { container } = await renderCard(
      fakeApi(async () => {
        const data = await app1();
        const cluster = data.clusters[0] as Extract<
          EntityRoutes['clusters'][number],
          { report: unknown }
        >;
        const routes = cluster.report.routes.map(r => ({
          ...r,
          hops: r.hops.map(h => ({ ...h, label: `${evil} ${h.label}` })),
          table: r.table.map(t => ({ ...t, action: evil })),
        }));
        return {
          ...data,
          clusters: [{ ...cluster, report: { ...cluster.report, routes } }],
        };
      }),
    );
    await screen.findByTestId('route-health');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getAllByText(evil).length).toBeGreaterThan(0);
    expect((window as any).__pwned).toBeUndefined();
  });
});
