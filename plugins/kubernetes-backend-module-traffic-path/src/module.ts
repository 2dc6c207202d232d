/*
 * Adds `POST /api/kubernetes/traffic-path/v1/lists` to the Kubernetes
 * backend: up to 50 list reads of one cluster (each read in full, page by
 * page), made at once over kept-alive
 * connections with the Kubernetes backend's own cluster suppliers and auth
 * strategies, answered in one response. Traffic Path then pays one request
 * per cluster instead of one proxied request (and one TLS handshake) per
 * list. `GET /api/kubernetes/traffic-path/v1/capabilities` says that the
 * module is there; without it Traffic Path falls back to the proxy.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { kubernetesRouterExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { readLimitsOf } from '@internal/plugin-traffic-path-node';
import { createListsRouter } from './listsRouter';

export const kubernetesModuleTrafficPath = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'traffic-path',
  register(reg) {
    reg.registerInit({
      deps: {
        routerExtension: kubernetesRouterExtensionPoint,
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
      },
      async init({ routerExtension, config, httpAuth, permissions, logger }) {
        // The same bounds as the backend's proxy path: one setting for both.
        const limits = readLimitsOf(config);
        // The Kubernetes backend accepts one custom router: ours adds a route
        // and serves everything else with the default router, unchanged.
        routerExtension.addRouter(
          ({ getDefault, clusterSupplier, authStrategyMap }) =>
            createListsRouter({
              defaultRouter: getDefault(),
              clusterSupplier,
              authStrategyMap,
              httpAuth,
              permissions,
              logger,
              limits,
            }),
        );
      },
    });
  },
});
