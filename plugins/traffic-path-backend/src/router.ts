/*
 * The HTTP API of Traffic Path, typed and validated by its OpenAPI spec
 * (src/schema/openapi.yaml): input checked, permissions checked, then the
 * routes service.
 */
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseIp } from '@internal/plugin-traffic-path-common';
import express from 'express';
import { spec } from './schema/openapi.generated';
import { ClientAuth, RoutesService } from './service/routesService';

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

/** The permissions Traffic Path needs: those of the Kubernetes plugin, since it reads what that plugin reads. */
export const requiredPermissions = [
  kubernetesResourcesReadPermission,
  kubernetesProxyPermission,
];

export async function createRouter(deps: {
  routes: RoutesService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
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

  return router;
}
