/*
 * The Traffic Path backend plugin (pluginId `traffic-path`): wiring only.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readTrafficPathConfig } from './config';
import { createRouter } from './router';
import { createDnsLookup } from './service/dnsResolver';
import { createKubernetesBackendClient } from './service/kubernetesBackendClient';
import { createModuleDetector, probeModule } from './service/moduleDetector';
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
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        auth,
        discovery,
        cache,
        permissions,
        catalog,
      }) {
        const settings = readTrafficPathConfig(config);
        const client = createKubernetesBackendClient({
          discovery,
          auth,
          limits: settings.reads,
          // Asked again after a failure, and a minute after it was found missing.
          module: createModuleDetector({
            probe: probeModule({ discovery, auth, timeoutMs: 5000 }),
            recheckMs: 60_000,
            logger,
          }),
        });
        const routes = createRoutesService({
          client,
          cache,
          logger,
          getEntity: (entityRef, credentials) =>
            catalog.getEntityByRef(parseEntityRef(entityRef), { credentials }),
          serviceLocatorMethod: settings.serviceLocatorMethod,
          clusterTimeoutMs: settings.clusterTimeoutMs,
          cacheTtlMs: settings.cacheTtlMs,
          secrets: settings.secrets,
          dns: settings.dns && {
            lookup: createDnsLookup(settings.dns),
            cacheTtlMs: settings.dns.cacheTtlMs,
          },
        });
        httpRouter.use(await createRouter({ routes, httpAuth, permissions }));
        logger.info(
          `Traffic Path routes API ready (cluster timeout ${
            settings.clusterTimeoutMs / 1000
          } s, cache ${settings.cacheTtlMs / 1000} s, DNS check ${
            settings.dns ? 'on' : 'off'
          })`,
        );
      },
    });
  },
});
