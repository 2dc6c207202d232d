// Generated from openapi.yaml by scripts/generate-openapi.mjs: do not edit.
/* eslint-disable */
export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'traffic-path',
    version: '1',
    description:
      "The routes an external request takes to the containers of a catalog entity, read from its clusters through the Kubernetes backend, with findings and per-cluster errors. Requires the Kubernetes plugin's permissions kubernetes.resources.read and kubernetes.proxy.",
    license: {
      name: 'Apache-2.0',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  paths: {
    '/v1/routes': {
      get: {
        operationId: 'GetEntityRoutes',
        summary:
          'The routes of an entity, with server-side cluster credentials.',
        parameters: [
          {
            $ref: '#/components/parameters/entityRef',
          },
          {
            $ref: '#/components/parameters/clientIp',
          },
          {
            $ref: '#/components/parameters/refresh',
          },
        ],
        responses: {
          '200': {
            $ref: '#/components/responses/EntityRoutes',
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'QueryEntityRoutes',
        summary:
          "The routes of an entity, with client-side cluster tokens from the frontend's Kubernetes auth providers (as the Kubernetes plugin sends them).",
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RoutesQuery',
              },
            },
          },
        },
        responses: {
          '200': {
            $ref: '#/components/responses/EntityRoutes',
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
  },
  components: {
    parameters: {
      entityRef: {
        name: 'entityRef',
        in: 'query',
        required: true,
        description:
          'The entity reference, e.g. component:default/app1 (`:` and `/` may be left unencoded).',
        allowReserved: true,
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 512,
        },
      },
      clientIp: {
        name: 'clientIp',
        in: 'query',
        required: false,
        description:
          'An IPv4 or IPv6 address; each route then carries a verdict for it.',
        allowReserved: true,
        schema: {
          type: 'string',
          maxLength: 64,
        },
      },
      refresh: {
        name: 'refresh',
        in: 'query',
        required: false,
        description:
          'true: read the clusters again instead of answering from the cache (the answer then refreshes the cache for everyone).',
        schema: {
          type: 'string',
          enum: ['true', 'false'],
        },
      },
    },
    responses: {
      EntityRoutes: {
        description: 'The routes of the entity, one entry per cluster.',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/EntityRoutes',
            },
          },
        },
      },
      Error: {
        description: "An error, in Backstage's error format.",
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      RoutesQuery: {
        type: 'object',
        required: ['entityRef'],
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
          },
          clientIp: {
            type: 'string',
            maxLength: 64,
          },
          refresh: {
            description:
              'true to read the clusters again instead of answering from the cache.',
            type: 'boolean',
          },
          auth: {
            description:
              "Client-side tokens by auth provider (google, oidc by token provider, …), as the Kubernetes plugin's KubernetesAuthProvidersApi returns them.",
            type: 'object',
            additionalProperties: true,
          },
        },
      },
      EntityRoutes: {
        type: 'object',
        required: ['entityRef', 'configured', 'clusters'],
        properties: {
          entityRef: {
            type: 'string',
          },
          configured: {
            type: 'boolean',
            description: 'False when the entity has no Kubernetes annotation.',
          },
          hint: {
            type: 'string',
            description: 'Which annotation to add, when not configured.',
          },
          clusters: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ClusterRoutes',
            },
          },
        },
      },
      ClusterRoutes: {
        oneOf: [
          {
            $ref: '#/components/schemas/ClusterReport',
          },
          {
            $ref: '#/components/schemas/ClusterError',
          },
        ],
      },
      ClusterReport: {
        type: 'object',
        required: ['cluster', 'report', 'warnings', 'apiCalls'],
        properties: {
          cluster: {
            type: 'string',
          },
          report: {
            $ref: '#/components/schemas/Report',
          },
          warnings: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          apiCalls: {
            type: 'integer',
            description:
              'API calls this answer caused (0 when served from the cache).',
          },
        },
      },
      ClusterError: {
        type: 'object',
        required: ['cluster', 'error'],
        properties: {
          cluster: {
            type: 'string',
          },
          error: {
            type: 'object',
            required: ['reason', 'message'],
            properties: {
              reason: {
                type: 'string',
                enum: [
                  'timeout',
                  'unauthorized',
                  'forbidden',
                  'unreachable',
                  'bad-response',
                  'error',
                ],
              },
              message: {
                type: 'string',
              },
              status: {
                type: 'integer',
              },
            },
          },
        },
      },
      Report: {
        type: 'object',
        description:
          "The engine's report (schemaVersion 1), as `traffic-path trace --format json` prints it; its full schema is docs/report.schema.json.",
        required: [
          'schemaVersion',
          'kubeProxyMode',
          'routes',
          'findings',
          'inputErrors',
        ],
        properties: {
          schemaVersion: {
            type: 'integer',
            enum: [1],
          },
          kubeProxyMode: {
            type: 'string',
          },
          routes: {
            type: 'array',
            items: {
              type: 'object',
            },
          },
          findings: {
            type: 'array',
            items: {
              type: 'object',
            },
          },
          inputErrors: {
            type: 'array',
            items: {
              type: 'object',
            },
          },
        },
      },
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
            },
            additionalProperties: true,
          },
          request: {
            type: 'object',
            additionalProperties: true,
          },
          response: {
            type: 'object',
            additionalProperties: true,
          },
        },
      },
    },
  },
} as const;
