/*
 * The plugin for Backstage's new frontend system: the API, an entity card
 * for the overview page and an entity content tab, shown for entities
 * with Kubernetes annotations.
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { TrafficPathClient, trafficPathApiRef } from './api';
import { isTrafficPathAvailable } from './plugin';

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

export default createFrontendPlugin({
  pluginId: 'traffic-path',
  extensions: [trafficPathApi, trafficPathCard, trafficPathContent],
});
