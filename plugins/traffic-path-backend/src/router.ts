/*
 * The HTTP API of Traffic Path (see src/schema/openapi.yaml): input
 * validated, permissions checked, then the routes service.
 */
import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { kubernetesProxyPermission, kubernetesResourcesReadPermission } from '@backstage/plugin-kubernetes-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseIp } from '@internal/plugin-traffic-path-common';
import express from 'express';
import Router from 'express-promise-router';
import { ClientAuth, RoutesService } from './service/routesService';

function entityRefOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new InputError('entityRef is required, e.g. component:default/app1');
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind: 'component', defaultNamespace: 'default' }));
  } catch (e) {
    throw new InputError(`entityRef "${value}" is not an entity reference: ${(e as Error).message}`);
  }
}

function clientIpOf(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !parseIp(value)) throw new InputError(`clientIp "${String(value)}" is not an IPv4 or IPv6 address`);
  return value;
}

function authOf(value: unknown): ClientAuth | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError('auth must be an object of client-side tokens, as the Kubernetes plugin sends them');
  return value as ClientAuth;
}

export function createRouter(deps: { routes: RoutesService; httpAuth: HttpAuthService; permissions: PermissionsService }): express.Router {
  const { routes, httpAuth, permissions } = deps;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  // Traffic Path reads what the Kubernetes plugin reads, through its proxy:
  // it asks for the Kubernetes plugin's own permissions.
  async function authorize(req: express.Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const decisions = await permissions.authorize([{ permission: kubernetesResourcesReadPermission }, { permission: kubernetesProxyPermission }], { credentials });
    if (decisions.some(d => d.result !== AuthorizeResult.ALLOW)) {
      throw new NotAllowedError('reading Kubernetes objects (kubernetes.resources.read and kubernetes.proxy) is not allowed');
    }
    return credentials;
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/routes', async (req, res) => {
    const entityRef = entityRefOf(req.query.entityRef);
    const clientIp = clientIpOf(req.query.clientIp);
    const credentials = await authorize(req);
    res.json(await routes.getEntityRoutes({ entityRef, clientIp }, credentials));
  });

  router.post('/v1/routes', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const entityRef = entityRefOf(body.entityRef);
    const clientIp = clientIpOf(body.clientIp);
    const auth = authOf(body.auth);
    const credentials = await authorize(req);
    res.json(await routes.getEntityRoutes({ entityRef, clientIp, auth }, credentials));
  });

  return router;
}
