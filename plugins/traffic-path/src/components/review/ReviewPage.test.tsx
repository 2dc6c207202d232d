/*
 * The review for an app on the legacy frontend system: the page with its
 * own header (what the routable TrafficPathReviewPage renders) and the
 * Group card extension.
 */
import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { ExposureApi, exposureApiRef } from '../../api';
import { EntityTrafficPathExposureCard } from '../../plugin';
import { ReviewPage } from './ReviewPage';
import { reviewChanges, reviewItems } from './__testUtils__/reviewData';

jest.setTimeout(30_000);

const exposureApi: ExposureApi = {
  getExposure: async () => ({ items: reviewItems() }),
  getExposureChanges: async () => ({ items: reviewChanges() }),
  getExposureReport: async () => {
    throw new Error('not asked in this test');
  },
};

async function render(element: JSX.Element) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [exposureApiRef, exposureApi],
        [catalogApiRef, catalogApiMock({ entities: [] })],
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

describe('ReviewPage (legacy)', () => {
  it('renders the review under its header', async () => {
    await render(<ReviewPage />);
    expect(
      await screen.findByRole('heading', { name: 'Traffic Path review' }),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText('✕ open to the internet')).length,
    ).toBeGreaterThan(0);
  });
});

describe('EntityTrafficPathExposureCard (legacy extension)', () => {
  it("renders a group's entry points", async () => {
    await render(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-edge', namespace: 'default' },
          spec: { type: 'team', children: [] },
        }}
      >
        <EntityTrafficPathExposureCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('Traffic Path: entry points'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('ranges 198.51.100.0/24, 2001:db8:10::/48'),
    ).toBeInTheDocument();
  });
});
