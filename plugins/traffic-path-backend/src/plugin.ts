/*
 * The Traffic Path backend plugin (pluginId `traffic-path`): wiring only.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { readTrafficPathConfig } from './config';
import { createRouter } from './router';
import { createDnsLookup } from './service/dnsResolver';
import { createKubernetesBackendClient } from './service/kubernetesBackendClient';
import { createLiveModels } from './service/liveModels';
import { createModuleDetector, probeModule } from './service/moduleDetector';
import { readWatchSettings } from './service/watchSettings';
import {
  createRoutesService,
  RoutesServiceOptions,
} from './service/routesService';
import { registerActions } from './actions/registerActions';
import { createExposureStore } from './database/exposureStore';
import { limitPerCluster } from './service/exposure/clusterLimit';
import { readExposureConfig } from './service/exposure/config';
import { createScanCache } from './service/exposure/scanCache';
import { rewriteOnChange } from './service/exposure/rescanOnChange';
import { createModelAnswers } from './service/modelAnswers';

/**
 * How long the live summaries keep the catalog's list of annotated entities
 * (an entity added since is summarised by the next scan or after this).
 * Meant as trafficPath.exposure.scan.onChange.catalogRefreshMinutes.
 */
const LIVE_SUMMARY_ENTITIES_TTL_MS = 5 * 60_000;
import { createExposureService } from './service/exposure/exposureService';

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
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        actionsRegistry: actionsRegistryServiceRef,
        lifecycle: coreServices.lifecycle,
        signals: signalsServiceRef,
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
        database,
        scheduler,
        actionsRegistry,
        lifecycle,
        signals,
      }) {
        const settings = readTrafficPathConfig(config);
        // Asked again after a failure, and a minute after it was found missing.
        const module = createModuleDetector({
          probe: probeModule({ discovery, auth, timeoutMs: 5000 }),
          recheckMs: 60_000,
          logger,
        });
        const client = createKubernetesBackendClient({
          discovery,
          auth,
          limits: settings.reads,
          module,
        });
        // The live model (trafficPath.watch): each cluster it can watch is listed once, then watched.
        const watchSettings = readWatchSettings(config);
        const models = createLiveModels({
          client,
          module,
          discovery,
          auth,
          logger,
          settings: watchSettings,
          secrets: settings.secrets,
        });
        // Not awaited: the backend starts without waiting for clusters; until a model is
        // ready its cluster is read per request.
        lifecycle.addStartupHook(() => {
          models.start();
        });
        lifecycle.addShutdownHook(() => models.stop());
        const routesOptions: RoutesServiceOptions = {
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
          models,
          // One cache of the models' answers for the cards, the scan and the summaries.
          modelAnswers: createModelAnswers({ max: 20_000 }),
        };
        // Only the routes the cards ask for send signals of changes (not the review's scan).
        const routes = createRoutesService({
          ...routesOptions,
          changeSignals: {
            publish: (channel, message) =>
              signals.publish({
                recipients: { type: 'broadcast' },
                channel,
                message,
              }),
            windowMs: watchSettings.signalEntitiesForMs,
          },
        });

        // The ownership review: stored summaries, kept current by a scan.
        const review = readExposureConfig(config);
        // A scan's reads last the scan (the cache is cleared when one starts).
        const scanTtlMs = review.scan.timeoutMinutes * 60_000;
        const scanCache = createScanCache({
          max: 1000,
          defaultTtlMs: scanTtlMs,
        });
        const exposure = createExposureService({
          store: await createExposureStore(database),
          catalog,
          auth,
          logger,
          routes: createRoutesService({
            ...routesOptions,
            client: limitPerCluster(client, review.scan.concurrencyPerCluster),
            // Not coreServices.cache: it would deserialise a cluster's snapshot per entity.
            cache: scanCache,
            cacheTtlMs: scanTtlMs,
          }),
          concurrency: review.scan.concurrencyPerCluster,
          onScanStart: () => scanCache.clear(),
        });
        if (review.scan.enabled) {
          await scheduler.scheduleTask({
            id: 'traffic-path-exposure-scan',
            // One backend at a time scans, however many run.
            scope: 'global',
            frequency: { minutes: review.scan.intervalMinutes },
            timeout: { minutes: review.scan.timeoutMinutes },
            initialDelay: { seconds: review.scan.initialDelaySeconds },
            fn: async () => {
              await exposure.scan();
              await exposure.prune(review.retention.days * 86_400_000);
            },
          });
        }
        if (review.scan.onChange.enabled && watchSettings.enabled) {
          // With the live model, a batch of a watched cluster rewrites the summaries of the
          // entities whose routes changed there, not at the next scan.
          const rewrite = rewriteOnChange({
            onSnapshot: listener => models.onSnapshot(listener),
            entities: () => exposure.annotatedEntities(),
            routes: (entity, snapshot) =>
              routes.snapshotRoutes(entity, snapshot),
            record: (items, at) => exposure.recordClusterRoutes(items, at),
            delayMs: review.scan.onChange.delaySeconds * 1000,
            entitiesTtlMs: LIVE_SUMMARY_ENTITIES_TTL_MS,
            logger,
          });
          lifecycle.addShutdownHook(() => rewrite.stop());
        }
        registerActions({ actionsRegistry, permissions, routes, exposure });

        httpRouter.use(
          await createRouter({
            routes,
            httpAuth,
            permissions,
            exposure,
            catalog,
            cacheTtlSeconds: settings.cacheTtlMs / 1000,
          }),
        );
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
