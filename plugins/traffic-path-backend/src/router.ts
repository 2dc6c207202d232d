/*
 * The HTTP API of Traffic Path, typed and validated by its OpenAPI spec
 * (src/schema/openapi.yaml): input checked, permissions checked, then the
 * routes service.
 */
import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseIp } from '@internal/plugin-traffic-path-common';
import express from 'express';
import { spec } from './schema/openapi.generated';
import { ClientAuth, RoutesService } from './service/routesService';
import { ExposureFilter } from './database/exposureStore';
import { ExposureService } from './service/exposure/exposureService';
import { exposureCsv, exposureMarkdown } from './service/exposure/report';
import { GroupCatalog, withChildGroups } from './service/exposure/ownership';
import {
  chooseRoute,
  diagramCacheControl,
  diagramDocument,
} from './service/diagram/diagram';

function entityRefOf(value: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch (e) {
    throw new InputError(
      `entityRef "${value}" is not an entity reference (kind:namespace/name): ${
        (e as Error).message
      }`,
    );
  }
}

function clientIpOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!parseIp(value))
    throw new InputError(`clientIp "${value}" is not an IPv4 or IPv6 address`);
  return value;
}

/** Repeated query parameters as entity refs, lower case as the catalog compares them. */
function refsOf(
  value: string | string[] | undefined,
  name: string,
  defaultKind: string,
): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map(v => {
    try {
      return stringifyEntityRef(
        parseEntityRef(v, { defaultKind, defaultNamespace: 'default' }),
      ).toLocaleLowerCase('en-US');
    } catch (e) {
      throw new InputError(
        `${name} "${v}" is not an entity reference (kind:namespace/name): ${
          (e as Error).message
        }`,
      );
    }
  });
}

type ExposureQuery = {
  owner?: string | string[];
  system?: string | string[];
  entityRef?: string | string[];
  ownership?: 'direct' | 'indirect';
};

function exposureFilterOf(query: ExposureQuery): ExposureFilter {
  return {
    owners: refsOf(query.owner, 'owner', 'group'),
    systems: refsOf(query.system, 'system', 'system'),
    entityRefs: refsOf(query.entityRef, 'entityRef', 'component'),
  };
}

function sinceOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new InputError(`since "${value}" is not an ISO 8601 time`);
  return time.toISOString();
}

function limitOf(value: string | undefined): number {
  if (value === undefined || value === '') return 500;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5000)
    throw new InputError(
      `limit "${value}" must be a whole number from 1 to 5000`,
    );
  return n;
}

/** The permissions Traffic Path needs: those of the Kubernetes plugin, since it reads what that plugin reads. */
export const requiredPermissions = [
  kubernetesResourcesReadPermission,
  kubernetesProxyPermission,
];

export async function createRouter(deps: {
  routes: RoutesService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** The ownership review's stored summaries; without it the exposure API answers 503. */
  exposure?: ExposureService;
  /** The catalog, for indirect ownership (`ownership=indirect` walks the owners' child groups). */
  catalog?: GroupCatalog;
  /** trafficPath.cache.ttlSeconds: how long a diagram may be kept by the reader's browser (30 s when not given). */
  cacheTtlSeconds?: number;
}): Promise<express.Router> {
  const { routes, httpAuth, permissions } = deps;
  const router = createValidatedOpenApiRouter(spec);

  async function authorize(req: express.Request) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const decisions = await permissions.authorize(
      requiredPermissions.map(permission => ({ permission })),
      { credentials },
    );
    const denied = requiredPermissions.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (denied.length) {
      throw new NotAllowedError(
        `Traffic Path needs the permission${
          denied.length > 1 ? 's' : ''
        } ${denied.map(p => p.name).join(' and ')}`,
      );
    }
    return credentials;
  }

  router.get('/v1/routes', async (req, res) => {
    const entityRef = entityRefOf(req.query.entityRef);
    const clientIp = clientIpOf(req.query.clientIp);
    const credentials = await authorize(req);
    res.json(
      await routes.getEntityRoutes(
        { entityRef, clientIp, refresh: req.query.refresh === 'true' },
        credentials,
      ),
    );
  });

  router.post('/v1/routes', async (req, res) => {
    const entityRef = entityRefOf(req.body.entityRef);
    const clientIp = clientIpOf(req.body.clientIp);
    const credentials = await authorize(req);
    res.json(
      await routes.getEntityRoutes(
        {
          entityRef,
          clientIp,
          refresh: req.body.refresh === true,
          auth: req.body.auth as ClientAuth | undefined,
        },
        credentials,
      ),
    );
  });

  router.get('/v1/diagram', async (req, res) => {
    const entityRef = entityRefOf(req.query.entityRef);
    const credentials = await authorize(req);
    const chosen = chooseRoute(
      await routes.getEntityRoutes({ entityRef }, credentials),
      req.query,
    );
    const document = diagramDocument(
      chosen,
      req.query.format ?? 'svg',
      req.query.theme ?? 'light',
    );
    res
      .status(200)
      .set('Cache-Control', diagramCacheControl(deps.cacheTtlSeconds ?? 30))
      .set('Vary', 'Authorization, Cookie')
      .type(document.contentType)
      .end(document.body);
  });

  const exposureService = () => {
    if (!deps.exposure)
      throw new ServiceUnavailableError(
        'The ownership review is not set up in this backend',
      );
    return deps.exposure;
  };

  /**
   * The filter of an exposure request; with indirect ownership, the owners'
   * child groups (those the user may read) are owners too.
   */
  async function withOwnership(
    filter: ExposureFilter,
    ownership: ExposureQuery['ownership'],
    credentials: BackstageCredentials,
  ): Promise<ExposureFilter> {
    if (ownership !== 'indirect' || !filter.owners?.length) return filter;
    if (!deps.catalog)
      throw new ServiceUnavailableError(
        'Indirect ownership needs the catalog, which this backend did not give the router',
      );
    return {
      ...filter,
      owners: await withChildGroups(deps.catalog, filter.owners, credentials),
    };
  }

  router.get('/v1/exposure', async (req, res) => {
    const direct = exposureFilterOf(req.query);
    const credentials = await authorize(req);
    const filter = await withOwnership(
      direct,
      req.query.ownership,
      credentials,
    );
    const publicOnly = req.query.publicOnly === 'true';
    const format = req.query.format ?? 'json';
    if (format === 'json' && !publicOnly) {
      res
        .type('application/json; charset=utf-8')
        .end(await exposureService().listJson(filter, credentials));
      return;
    }
    const items = await exposureService().list(
      filter,
      { publicOnly },
      credentials,
    );
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment('exposure.csv')
        .end(exposureCsv(items));
    } else if (format === 'markdown') {
      res
        .type('text/markdown; charset=utf-8')
        .attachment('exposure.md')
        .end(exposureMarkdown(items, new Date()));
    } else {
      res.json({ items });
    }
  });

  router.get('/v1/exposure/changes', async (req, res) => {
    const direct = exposureFilterOf(req.query);
    const since = sinceOf(req.query.since);
    const credentials = await authorize(req);
    const filter = await withOwnership(
      direct,
      req.query.ownership,
      credentials,
    );
    const items = await exposureService().changes(
      filter,
      { since, limit: limitOf(req.query.limit) },
      credentials,
    );
    res.json({ items });
  });

  return router;
}
