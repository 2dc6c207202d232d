/*
 * The portal as built from its features, with the catalog and the Traffic
 * Path backend mocked: a demo service's entity page shows the Traffic path
 * card with the route the engine resolves from the seed cluster, and the
 * Traffic Path tab is on the page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { screen, within } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { trafficPathApiRef } from '@internal/plugin-traffic-path';
import {
  EntityRoutes,
  mergeLoadResults,
  parseDocuments,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { features } from './App';

const seed = resolve(__dirname, '../../../test/scenarios/seed-004/cluster');

/** What the backend answers for app1 on the demo cluster (seed 004). */
function app1Routes(): EntityRoutes {
  const report = resolveReport(
    mergeLoadResults(
      readdirSync(seed)
        .sort()
        .map(f => parseDocuments(f, readFileSync(join(seed, f), 'utf8'))),
    ),
  );
  const routes = report.routes.filter(r => r.backend?.name === 'app1-service');
  return {
    entityRef: 'component:default/app1',
    configured: true,
    clusters: [
      {
        cluster: 'demo',
        report: { ...report, routes, findings: [] },
        warnings: [],
        apiCalls: 1,
      },
    ],
  };
}

/** app1 as examples/entities.yaml declares it. */
const app1: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'app1',
    namespace: 'default',
    description: 'Public web service, served at app1.qas.abc.com.',
    annotations: {
      'backstage.io/kubernetes-id': 'app1',
      'backstage.io/kubernetes-namespace': 'app',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'platform-team' },
};

describe('App', () => {
  it("shows the Traffic path card and tab on a demo service's entity page", async () => {
    const asked: string[] = [];
    renderTestApp({
      features,
      initialRouteEntries: ['/catalog/default/component/app1'],
      apis: [
        catalogApiMock({ entities: [app1] }),
        [
          trafficPathApiRef,
          {
            getRoutes: async ({ entity }) => {
              asked.push(entity.metadata.name);
              return app1Routes();
            },
          },
        ],
      ],
    });
    const heading = await screen.findByRole(
      'heading',
      { name: 'Traffic path' },
      { timeout: 10_000 },
    );
    expect(heading).toBeInTheDocument();
    expect(
      await screen.findByTestId('route-health', {}, { timeout: 10_000 }),
    ).toHaveTextContent('✓ healthy');
    expect(asked).toContain('app1');
    const drawing = screen.getByRole('group', {
      name: /^Path of app1\.qas\.abc\.com/,
    });
    expect(
      within(drawing).getByRole('button', { name: /^Load balancer: ok/ }),
    ).toHaveAccessibleName(/public load balancer 47\.100\.21\.10/);
    // The entity's tab (the sidebar may link a Traffic Path page of its own too).
    expect(
      screen
        .getAllByRole('link', { name: 'Traffic Path' })
        .map(link => link.getAttribute('href')),
    ).toContain('/catalog/default/component/app1/traffic-path');
  }, 30_000);
});
