/*
 * The Traffic Path backend plugin (pluginId `traffic-path`): wiring only.
 */
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { createRouter } from './router';
import { createKubernetesGateway } from './service/kubernetesGateway';
import { createRoutesService } from './service/routesService';

export const trafficPathPlugin = createBackendPlugin({
  pluginId: 'traffic-path',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        cache: coreServices.cache,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, httpRouter, httpAuth, auth, discovery, cache, permissions, catalog }) {
        const routes = createRoutesService({
          gateway: createKubernetesGateway({ discovery, auth }),
          cache,
          logger,
          getEntity: (entityRef, credentials) => catalog.getEntityByRef(parseEntityRef(entityRef), { credentials }),
          clusterTimeoutMs: (config.getOptionalNumber('trafficPath.clusterTimeoutSeconds') ?? 10) * 1000,
          cacheTtlMs: (config.getOptionalNumber('trafficPath.cache.ttlSeconds') ?? 30) * 1000,
          secrets: config.getOptionalBoolean('trafficPath.secrets.enabled') ?? false,
        });
        httpRouter.use(createRouter({ routes, httpAuth, permissions }));
        logger.info('Traffic Path routes API ready');
      },
    });
  },
});
