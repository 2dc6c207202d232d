/*
 * Traffic Path's actions for AI assistants, in Backstage's actions registry
 * (reached over MCP through @backstage/plugin-mcp-actions-backend):
 * `get-entity-traffic-path` and `list-exposure`. Both act with the caller's
 * credentials: the plugin's permissions first, then the catalog decides
 * which entities the caller may read, as for the HTTP API.
 */
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityRoutes,
  parseIp,
  Route,
} from '@internal/plugin-traffic-path-common';
import { requiredPermissions } from '../router';
import { ExposureService } from '../service/exposure/exposureService';
import { RoutesService } from '../service/routesService';

function refOf(value: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (e) {
    throw new InputError(
      `"${value}" is not an entity reference (kind:namespace/name): ${
        (e as Error).message
      }`,
    );
  }
}

/** A route as an assistant needs it: where it starts, each hop's state, the verdict. */
function routeOf(route: Route) {
  const e = route.entry;
  return {
    id: route.id,
    entryKind: e.kind,
    ...(e.host !== undefined ? { host: e.host } : {}),
    ...(e.path !== undefined ? { path: e.path } : {}),
    ...(e.port !== undefined ? { port: e.port } : {}),
    exposure: e.exposure,
    tls: e.tls,
    health: route.health,
    ...(route.brokenAt ? { brokenAt: route.brokenAt } : {}),
    ...(route.verdict
      ? {
          verdict: {
            clientIp: route.verdict.clientIp,
            allowed: route.verdict.allowed,
            ...(route.verdict.blockedAt
              ? { blockedAt: route.verdict.blockedAt }
              : {}),
            reason: route.verdict.reason,
          },
        }
      : {}),
    hops: route.hops.map(h => ({
      kind: h.kind,
      status: h.status,
      label: h.label,
      ...(h.problems?.length ? { problems: h.problems } : {}),
    })),
  };
}

export function entityTrafficPathOutput(routes: EntityRoutes) {
  return {
    entityRef: routes.entityRef,
    configured: routes.configured,
    ...(routes.hint ? { hint: routes.hint } : {}),
    clusters: routes.clusters.map(c =>
      'error' in c
        ? { cluster: c.cluster, error: c.error }
        : {
            cluster: c.cluster,
            routes: c.report.routes.map(routeOf),
            findings: c.report.findings.map(f => ({
              code: f.code,
              severity: f.severity,
              message: f.message,
              hint: f.hint,
            })),
            warnings: c.warnings,
          },
    ),
  };
}

export function registerActions(deps: {
  actionsRegistry: ActionsRegistryService;
  permissions: PermissionsService;
  routes: RoutesService;
  exposure: ExposureService;
}) {
  const { actionsRegistry, permissions, routes, exposure } = deps;

  async function authorize(credentials: BackstageCredentials) {
    const decisions = await permissions.authorize(
      requiredPermissions.map(permission => ({ permission })),
      { credentials },
    );
    const denied = requiredPermissions.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (denied.length)
      throw new NotAllowedError(
        `Traffic Path needs the permission${
          denied.length > 1 ? 's' : ''
        } ${denied.map(p => p.name).join(' and ')}`,
      );
  }

  actionsRegistry.register({
    name: 'get-entity-traffic-path',
    title: 'Traffic path of a catalog entity',
    description:
      'The routes an external request takes to the containers of a catalog entity (a Component with Kubernetes annotations), per cluster: where each route starts (host, path, port; public or internal; TLS), every hop with its state, the findings (misconfigurations) with hints, and, when clientIp is given, whether that client gets through and where it is blocked. A cluster that could not be read has an error instead of routes.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe('The entity reference, e.g. component:default/shop-web'),
          clientIp: z
            .string()
            .optional()
            .describe('An IPv4 or IPv6 address; each route then has a verdict'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          configured: z
            .boolean()
            .describe('False when the entity has no Kubernetes annotation'),
          hint: z.string().optional(),
          clusters: z.array(
            z.object({
              cluster: z.string(),
              error: z
                .object({
                  reason: z.string(),
                  message: z.string(),
                  status: z.number().optional(),
                })
                .optional(),
              routes: z
                .array(
                  z.object({
                    id: z.string(),
                    entryKind: z.string(),
                    host: z.string().optional(),
                    path: z.string().optional(),
                    port: z.number().optional(),
                    exposure: z.string(),
                    tls: z.boolean(),
                    health: z.string(),
                    brokenAt: z.string().optional(),
                    verdict: z
                      .object({
                        clientIp: z.string(),
                        allowed: z
                          .boolean()
                          .nullable()
                          .describe('null: a rule on the way is not visible'),
                        blockedAt: z.string().optional(),
                        reason: z.string(),
                      })
                      .optional(),
                    hops: z.array(
                      z.object({
                        kind: z.string(),
                        status: z.string(),
                        label: z.string(),
                        problems: z.array(z.string()).optional(),
                      }),
                    ),
                  }),
                )
                .optional(),
              findings: z
                .array(
                  z.object({
                    code: z.string(),
                    severity: z.enum(['error', 'warning', 'info']),
                    message: z.string(),
                    hint: z.string(),
                  }),
                )
                .optional(),
              warnings: z.array(z.string()).optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      await authorize(credentials);
      if (input.clientIp !== undefined && !parseIp(input.clientIp))
        throw new InputError(
          `clientIp "${input.clientIp}" is not an IPv4 or IPv6 address`,
        );
      const result = await routes.getEntityRoutes(
        {
          entityRef: refOf(input.entityRef, 'component'),
          clientIp: input.clientIp,
        },
        credentials,
      );
      return { output: entityTrafficPathOutput(result) };
    },
  });

  actionsRegistry.register({
    name: 'list-exposure',
    title: 'Entry points of an owner or a system',
    description:
      "The entry points of every component an owner (a Group) owns or a system holds, from the ownership review's stored summaries: per entity and cluster, each host and path, public or internal, the load balancer, the source restriction (ranges, a cloud ACL, an ingress allowlist, or none: open to every source), TLS, the NetworkPolicy verdict and the findings by severity, with when it was last scanned.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          owner: z
            .array(z.string().min(1))
            .optional()
            .describe('Owner refs, e.g. group:default/team-a'),
          system: z
            .array(z.string().min(1))
            .optional()
            .describe('System refs, e.g. system:default/shop'),
          publicOnly: z
            .boolean()
            .optional()
            .describe('Only entry points that are public'),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              entityRef: z.string(),
              owner: z.string().optional(),
              system: z.string().optional(),
              cluster: z.string(),
              scannedAt: z.string().optional(),
              error: z
                .object({
                  reason: z.string(),
                  message: z.string(),
                  at: z.string(),
                })
                .optional(),
              entries: z.array(
                z.object({
                  host: z.string().optional(),
                  path: z.string().optional(),
                  port: z.number().optional(),
                  exposure: z.enum(['public', 'internal', 'unknown']),
                  loadBalancer: z
                    .object({
                      provider: z.string(),
                      addresses: z.array(z.string()),
                      id: z.string().optional(),
                    })
                    .optional(),
                  sourceRestriction: z.object({
                    kind: z.enum([
                      'none',
                      'ranges',
                      'cloud-acl',
                      'allowlist',
                      'unknown',
                    ]),
                    rules: z.array(
                      z.object({
                        hop: z.string(),
                        origin: z.string(),
                        mode: z.enum(['allow', 'deny']),
                        cidrs: z.array(z.string()),
                        description: z.string().optional(),
                        ignored: z.boolean().optional(),
                      }),
                    ),
                  }),
                  tls: z.boolean(),
                  networkPolicy: z.string().optional(),
                  findings: z.object({
                    error: z.number(),
                    warning: z.number(),
                    info: z.number(),
                  }),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      await authorize(credentials);
      if (!input.owner?.length && !input.system?.length)
        throw new InputError('list-exposure needs an owner or a system');
      const lower = (refs: string[] | undefined, kind: string) =>
        refs?.map(r => refOf(r, kind).toLocaleLowerCase('en-US'));
      const items = await exposure.list(
        {
          owners: lower(input.owner, 'group'),
          systems: lower(input.system, 'system'),
        },
        { publicOnly: input.publicOnly },
        credentials,
      );
      return {
        output: {
          items: items.map(s => ({
            entityRef: s.entityRef,
            ...(s.owner ? { owner: s.owner } : {}),
            ...(s.system ? { system: s.system } : {}),
            cluster: s.cluster,
            ...(s.scannedAt ? { scannedAt: s.scannedAt } : {}),
            ...(s.error ? { error: s.error } : {}),
            entries: s.entries.map(e => ({
              ...(e.host !== undefined ? { host: e.host } : {}),
              ...(e.path !== undefined ? { path: e.path } : {}),
              ...(e.port !== undefined ? { port: e.port } : {}),
              exposure: e.exposure,
              ...(e.loadBalancer
                ? {
                    loadBalancer: {
                      provider: e.loadBalancer.provider,
                      addresses: e.loadBalancer.addresses,
                      ...(e.loadBalancer.id ? { id: e.loadBalancer.id } : {}),
                    },
                  }
                : {}),
              sourceRestriction: e.sourceRestriction,
              tls: e.tls,
              ...(e.networkPolicy
                ? { networkPolicy: e.networkPolicy.verdict }
                : {}),
              findings: {
                error: e.findings.error,
                warning: e.findings.warning,
                info: e.findings.info,
              },
            })),
          })),
        },
      };
    },
  });
}
