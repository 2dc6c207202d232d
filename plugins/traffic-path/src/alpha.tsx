/*
 * The plugin for Backstage's new frontend system: the API, an entity card
 * for the overview page and an entity content tab, shown for entities
 * with Kubernetes annotations.
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import {
  ExposureClient,
  exposureApiRef,
  TrafficPathClient,
  trafficPathApiRef,
} from './api';
import { isExposureReviewAvailable } from './components/review/EntityExposureCards';
import { TrafficPathIcon } from './components/review/TrafficPathIcon';
import { isTrafficPathAvailable } from './plugin';

/** The review page, for links from other plugins. */
export const reviewRouteRef = createRouteRef();

const trafficPathApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: trafficPathApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        kubernetesApi: kubernetesApiRef,
        kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
      },
      factory: deps => new TrafficPathClient(deps),
    }),
});

const trafficPathCard = EntityCardBlueprint.make({
  name: 'traffic-path',
  params: {
    filter: isTrafficPathAvailable,
    type: 'content',
    loader: () =>
      import('./components/EntityTrafficPath').then(m => (
        <m.EntityTrafficPathCard />
      )),
  },
});

const trafficPathContent = EntityContentBlueprint.make({
  name: 'traffic-path',
  params: {
    path: 'traffic-path',
    title: 'Traffic Path',
    filter: isTrafficPathAvailable,
    loader: () =>
      import('./components/EntityTrafficPath').then(m => (
        <m.EntityTrafficPathPage />
      )),
  },
});

const exposureApi = ApiBlueprint.make({
  name: 'exposure',
  params: defineParams =>
    defineParams({
      api: exposureApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ExposureClient(deps),
    }),
});

/** The ownership review at /traffic-path, with its sidebar entry (the page's title and icon). */
const reviewPage = PageBlueprint.make({
  params: {
    path: '/traffic-path',
    title: 'Traffic Path',
    icon: <TrafficPathIcon />,
    routeRef: reviewRouteRef,
    loader: () =>
      import('./components/review/ReviewPage').then(m => <m.ReviewContent />),
  },
});

/** A Group's or System's entry points on its overview page. */
const exposureCard = EntityCardBlueprint.make({
  name: 'exposure',
  params: {
    filter: isExposureReviewAvailable,
    type: 'content',
    loader: () =>
      import('./components/review/EntityExposureCards').then(m => (
        <m.EntityExposureCard />
      )),
  },
});

/** A Component's recent exposure changes on its overview page. */
const changesCard = EntityCardBlueprint.make({
  name: 'exposure-changes',
  params: {
    filter: entity =>
      entity.kind.toLocaleLowerCase('en-US') === 'component' &&
      isTrafficPathAvailable(entity),
    type: 'content',
    loader: () =>
      import('./components/review/EntityExposureCards').then(m => (
        <m.EntityExposureChangesCard />
      )),
  },
});

export default createFrontendPlugin({
  pluginId: 'traffic-path',
  routes: { review: reviewRouteRef },
  extensions: [
    trafficPathApi,
    exposureApi,
    trafficPathCard,
    trafficPathContent,
    reviewPage,
    exposureCard,
    changesCard,
  ],
});
