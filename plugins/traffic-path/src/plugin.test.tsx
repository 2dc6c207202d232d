/*
 * The legacy plugin's exports: when the card applies, and that the card
 * extension (lazy, as an app on the legacy system mounts it) renders.
 */
import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  entity,
  entityRoutes,
  scenarioReport,
} from './__testUtils__/scenarios';
import { trafficPathApiRef } from './api';
import { EntityTrafficPathCard, isTrafficPathAvailable } from './plugin';

describe('isTrafficPathAvailable', () => {
  it('applies to entities with the Kubernetes plugin annotations only', () => {
    expect(isTrafficPathAvailable(entity('app1'))).toBe(true);
    expect(
      isTrafficPathAvailable(
        entity('web', { 'backstage.io/kubernetes-label-selector': 'app=web' }),
      ),
    ).toBe(true);
    expect(isTrafficPathAvailable(entity('docs', {}))).toBe(false);
  });
});

describe('EntityTrafficPathCard (legacy extension)', () => {
  it('renders the card with the route', async () => {
    const answer = entityRoutes(
      'component:default/app1',
      scenarioReport(['seed-004/cluster']),
      'app1-service',
    );
    await renderInTestApp(
      <TestApiProvider
        apis={[[trafficPathApiRef, { getRoutes: async () => answer }]]}
      >
        <EntityProvider entity={entity('app1')}>
          <EntityTrafficPathCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByRole('heading', { name: 'Traffic path' }),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('route-health')).toHaveTextContent(
      '✓ healthy',
    );
  });
});
