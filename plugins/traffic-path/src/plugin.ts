/*
 * The legacy frontend plugin (@backstage/core-plugin-api): the API, the
 * entity card and the entity content.
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
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

export const rootRouteRef = createRouteRef({ id: 'traffic-path' });

export const trafficPathPlugin = createPlugin({
  id: 'traffic-path',
  apis: [
    createApiFactory({
      api: trafficPathApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        kubernetesApi: kubernetesApiRef,
        kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
      },
      factory: deps => new TrafficPathClient(deps),
    }),
    createApiFactory({
      api: exposureApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ExposureClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** True when the entity has the annotations the Kubernetes plugin links objects by. */
export function isTrafficPathAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[KUBERNETES_ANNOTATION] ||
      annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION],
  );
}

/** The card for the entity overview page. */
export const EntityTrafficPathCard = trafficPathPlugin.provide(
  createComponentExtension({
    name: 'EntityTrafficPathCard',
    component: {
      lazy: () =>
        import('./components/EntityTrafficPath').then(
          m => m.EntityTrafficPathCard,
        ),
    },
  }),
);

/** The large view, for an entity tab. */
export const EntityTrafficPathContent = trafficPathPlugin.provide(
  createComponentExtension({
    name: 'EntityTrafficPathContent',
    component: {
      lazy: () =>
        import('./components/EntityTrafficPath').then(
          m => m.EntityTrafficPathPage,
        ),
    },
  }),
);

/** The ownership review page; mount it at /traffic-path. */
export const TrafficPathReviewPage = trafficPathPlugin.provide(
  createRoutableExtension({
    name: 'TrafficPathReviewPage',
    mountPoint: rootRouteRef,
    component: () =>
      import('./components/review/ReviewPage').then(m => m.ReviewPage),
  }),
);

/** The entry points of a Group or a System, for its entity page (see isExposureReviewAvailable). */
export const EntityTrafficPathExposureCard = trafficPathPlugin.provide(
  createComponentExtension({
    name: 'EntityTrafficPathExposureCard',
    component: {
      lazy: () =>
        import('./components/review/EntityExposureCards').then(
          m => m.EntityExposureCard,
        ),
    },
  }),
);

/** A Component's recent exposure changes, for its entity page. */
export const EntityTrafficPathChangesCard = trafficPathPlugin.provide(
  createComponentExtension({
    name: 'EntityTrafficPathChangesCard',
    component: {
      lazy: () =>
        import('./components/review/EntityExposureCards').then(
          m => m.EntityExposureChangesCard,
        ),
    },
  }),
);
