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
    '/v1/exposure': {
      get: {
        operationId: 'GetExposure',
        summary:
          'The stored exposure summaries (entry points) of the entities of owners or systems, one item per entity and cluster, as JSON or as a CSV or Markdown report. Only entities the user may read in the catalog are in the answer.',
        parameters: [
          {
            $ref: '#/components/parameters/owner',
          },
          {
            $ref: '#/components/parameters/system',
          },
          {
            $ref: '#/components/parameters/entityRefs',
          },
          {
            $ref: '#/components/parameters/ownership',
          },
          {
            name: 'publicOnly',
            in: 'query',
            required: false,
            description:
              'true keeps only entry points whose exposure is public (and items with at least one).',
            schema: {
              type: 'string',
              enum: ['true', 'false'],
            },
          },
          {
            name: 'format',
            in: 'query',
            required: false,
            description:
              'json (the default), csv (one row per entry point) or markdown (a table per owner).',
            schema: {
              type: 'string',
              enum: ['json', 'csv', 'markdown'],
            },
          },
        ],
        responses: {
          '200': {
            description:
              'The summaries, or the report in the format asked for.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ExposureList',
                },
              },
              'text/csv': {
                schema: {
                  type: 'string',
                },
              },
              'text/markdown': {
                schema: {
                  type: 'string',
                },
              },
            },
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
        },
      },
    },
    '/v1/exposure/changes': {
      get: {
        operationId: 'GetExposureChanges',
        summary:
          'The changes recorded between two scans of the entities of owners or systems, newest first. Only entities the user may read in the catalog are in the answer.',
        parameters: [
          {
            $ref: '#/components/parameters/owner',
          },
          {
            $ref: '#/components/parameters/system',
          },
          {
            $ref: '#/components/parameters/entityRefs',
          },
          {
            $ref: '#/components/parameters/ownership',
          },
          {
            name: 'since',
            in: 'query',
            required: false,
            description:
              'An ISO 8601 time; only changes recorded at or after it.',
            schema: {
              type: 'string',
              format: 'date-time',
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description:
              'The most changes answered (newest first), 1 to 5000; 500 when absent.',
            schema: {
              type: 'string',
              pattern: '^[0-9]{1,4}$',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The changes.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ExposureChangeList',
                },
              },
            },
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
        },
      },
    },
    '/v1/diagram': {
      get: {
        operationId: 'GetRouteDiagram',
        summary:
          "One route of an entity drawn for docs pages, always current: an SVG of the card's drawing (light or dark, self-contained), the Mermaid flowchart, or Markdown with the hop table, the findings and the commands that check each hop. The same permissions as the routes.",
        parameters: [
          {
            $ref: '#/components/parameters/entityRef',
          },
          {
            name: 'host',
            in: 'query',
            required: false,
            description:
              "The route's host (case-insensitive); without `path`, its route for `/` (or without a path) comes first.",
            schema: {
              type: 'string',
              maxLength: 253,
            },
          },
          {
            name: 'path',
            in: 'query',
            required: false,
            description: "The route's path, exactly as its rule says it.",
            allowReserved: true,
            schema: {
              type: 'string',
              maxLength: 1024,
            },
          },
          {
            name: 'route',
            in: 'query',
            required: false,
            description:
              'A route id from the routes API; wins over host and path.',
            allowReserved: true,
            schema: {
              type: 'string',
              maxLength: 1024,
            },
          },
          {
            name: 'cluster',
            in: 'query',
            required: false,
            description: "Only this cluster's routes.",
            schema: {
              type: 'string',
              maxLength: 253,
            },
          },
          {
            name: 'format',
            in: 'query',
            required: false,
            description: 'svg (the default), mermaid or markdown.',
            schema: {
              type: 'string',
              enum: ['svg', 'mermaid', 'markdown'],
            },
          },
          {
            name: 'theme',
            in: 'query',
            required: false,
            description:
              "The SVG's palette, Backstage's light (the default) or dark theme.",
            schema: {
              type: 'string',
              enum: ['light', 'dark'],
            },
          },
        ],
        responses: {
          '200': {
            description:
              "The diagram, with Cache-Control private and a max-age of the backend's cache of answers.",
            content: {
              'image/svg+xml': {
                schema: {
                  type: 'string',
                },
              },
              'text/markdown': {
                schema: {
                  type: 'string',
                },
              },
              'text/plain': {
                schema: {
                  type: 'string',
                },
              },
            },
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
      owner: {
        name: 'owner',
        in: 'query',
        required: false,
        description:
          'Owner entity references (group:default/team-a); repeat the parameter for several. An entity matches when its spec.owner is one of them (or, with `ownership=indirect`, one of their child groups).',
        allowReserved: true,
        style: 'form',
        explode: true,
        schema: {
          type: 'array',
          maxItems: 200,
          items: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
          },
        },
      },
      system: {
        name: 'system',
        in: 'query',
        required: false,
        description:
          'System entity references (system:default/shop); repeat for several.',
        allowReserved: true,
        style: 'form',
        explode: true,
        schema: {
          type: 'array',
          maxItems: 200,
          items: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
          },
        },
      },
      ownership: {
        name: 'ownership',
        in: 'query',
        required: false,
        description:
          "direct (the default): the owners' own entities. indirect: also those of every group below the owners (the catalog's parentOf relations and spec.children, down the whole tree), as far as the user may read the groups in the catalog.",
        schema: {
          type: 'string',
          enum: ['direct', 'indirect'],
        },
      },
      entityRefs: {
        name: 'entityRef',
        in: 'query',
        required: false,
        description:
          'Entity references of the entities themselves; repeat for several.',
        allowReserved: true,
        style: 'form',
        explode: true,
        schema: {
          type: 'array',
          maxItems: 200,
          items: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
          },
        },
      },
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
      ExposureList: {
        type: 'object',
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/EntityExposure',
            },
          },
        },
      },
      EntityExposure: {
        type: 'object',
        description:
          'The stored exposure summary of one entity in one cluster.',
        required: ['entityRef', 'cluster', 'entries'],
        properties: {
          entityRef: {
            type: 'string',
          },
          owner: {
            type: 'string',
            description:
              "The entity's spec.owner as an entity reference; absent when it has none.",
          },
          system: {
            type: 'string',
            description:
              "The entity's spec.system as an entity reference; absent when it has none.",
          },
          cluster: {
            type: 'string',
          },
          scannedAt: {
            type: 'string',
            format: 'date-time',
            description:
              'When the entries were last read from the cluster; absent while no scan of it has succeeded (then `error` says why).',
          },
          changedAt: {
            type: 'string',
            format: 'date-time',
            description:
              'When the entries last changed (the scan that recorded the newest change).',
          },
          error: {
            type: 'object',
            description:
              'The last scan of this cluster failed at `at`; the entries are those of the last scan that succeeded (scannedAt).',
            required: ['reason', 'message', 'at'],
            properties: {
              reason: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
              at: {
                type: 'string',
                format: 'date-time',
              },
            },
          },
          entries: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ExposureEntry',
            },
          },
        },
      },
      ExposureEntry: {
        type: 'object',
        description:
          "One entry point (the engine's ExposureEntry, as `traffic-path diff` compares them, without the client verdict and the object list).",
        required: [
          'key',
          'entryKind',
          'object',
          'exposure',
          'sourceRestriction',
          'tls',
          'health',
          'findings',
        ],
        properties: {
          key: {
            type: 'string',
            description: 'Stable identity of the entry point across scans.',
          },
          host: {
            type: 'string',
          },
          path: {
            type: 'string',
          },
          port: {
            type: 'integer',
          },
          entryKind: {
            type: 'string',
          },
          object: {
            $ref: '#/components/schemas/ObjectRef',
          },
          backend: {
            $ref: '#/components/schemas/ObjectRef',
          },
          exposure: {
            type: 'string',
            enum: ['public', 'internal', 'unknown'],
          },
          loadBalancer: {
            type: 'object',
            required: ['addresses', 'provider'],
            properties: {
              object: {
                $ref: '#/components/schemas/ObjectRef',
              },
              addresses: {
                type: 'array',
                items: {
                  type: 'string',
                },
              },
              provider: {
                type: 'string',
              },
              id: {
                type: 'string',
              },
            },
          },
          nodePort: {
            type: 'object',
            required: ['externalTrafficPolicy', 'snat'],
            properties: {
              port: {
                type: 'integer',
              },
              externalTrafficPolicy: {
                type: 'string',
              },
              snat: {
                type: 'boolean',
              },
            },
          },
          sourceRestriction: {
            type: 'object',
            required: ['kind', 'rules'],
            properties: {
              kind: {
                type: 'string',
                enum: ['none', 'ranges', 'cloud-acl', 'allowlist', 'unknown'],
                description:
                  "ranges: source ranges at the load balancer; cloud-acl: an ACL kept in the cloud account (by id); allowlist: at the ingress; none: open to every source that reaches it; unknown: the cluster does not show the entry point's front.",
              },
              rules: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['hop', 'origin', 'mode', 'cidrs'],
                  properties: {
                    hop: {
                      type: 'string',
                    },
                    origin: {
                      type: 'string',
                    },
                    mode: {
                      type: 'string',
                      enum: ['allow', 'deny'],
                    },
                    cidrs: {
                      type: 'array',
                      items: {
                        type: 'string',
                      },
                    },
                    description: {
                      type: 'string',
                    },
                    ignored: {
                      type: 'boolean',
                    },
                  },
                },
              },
            },
          },
          tls: {
            type: 'boolean',
          },
          health: {
            type: 'string',
          },
          brokenAt: {
            type: 'string',
          },
          networkPolicy: {
            type: 'object',
            required: ['verdict', 'policies', 'label'],
            properties: {
              verdict: {
                type: 'string',
                enum: ['allowed', 'partly-blocked', 'blocked', 'unknown'],
              },
              policies: {
                type: 'array',
                items: {
                  $ref: '#/components/schemas/ObjectRef',
                },
              },
              label: {
                type: 'string',
              },
            },
          },
          findings: {
            type: 'object',
            required: ['error', 'warning', 'info', 'codes'],
            properties: {
              error: {
                type: 'integer',
              },
              warning: {
                type: 'integer',
              },
              info: {
                type: 'integer',
              },
              codes: {
                type: 'array',
                items: {
                  type: 'string',
                },
              },
            },
          },
        },
      },
      ObjectRef: {
        type: 'object',
        required: ['kind', 'name'],
        properties: {
          kind: {
            type: 'string',
          },
          namespace: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
        },
      },
      ExposureChangeList: {
        type: 'object',
        required: ['items'],
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ExposureChangeItem',
            },
          },
        },
      },
      ExposureChangeItem: {
        type: 'object',
        required: ['entityRef', 'cluster', 'at', 'change'],
        properties: {
          entityRef: {
            type: 'string',
          },
          cluster: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
            description: 'The scan that saw the change.',
          },
          change: {
            $ref: '#/components/schemas/ExposureChange',
          },
        },
      },
      ExposureChange: {
        type: 'object',
        description:
          "One difference between two summaries (the engine's diffExposure, as `traffic-path diff` prints it).",
        required: ['kind', 'key', 'object', 'impact', 'message'],
        properties: {
          kind: {
            type: 'string',
            enum: [
              'entry-added',
              'entry-removed',
              'became-public',
              'became-internal',
              'exposure-changed',
              'load-balancer-changed',
              'restriction-added',
              'restriction-removed',
              'restriction-changed',
              'tls-added',
              'tls-dropped',
              'blocked',
              'unblocked',
              'broken',
              'repaired',
              'new-error',
              'error-fixed',
            ],
          },
          key: {
            type: 'string',
          },
          host: {
            type: 'string',
          },
          path: {
            type: 'string',
          },
          object: {
            $ref: '#/components/schemas/ObjectRef',
          },
          impact: {
            type: 'string',
            enum: ['risk', 'improvement', 'neutral'],
          },
          before: {
            type: 'string',
          },
          after: {
            type: 'string',
          },
          message: {
            type: 'string',
          },
        },
      },
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
          mode: {
            type: 'string',
            enum: ['watch', 'request'],
            description:
              "What served it: watch, the backend's live model of the cluster (kept current by watches), or request, reads made for answers.",
          },
          observedAt: {
            type: 'string',
            format: 'date-time',
            description:
              'When its objects were last known to match the cluster.',
          },
          modeReason: {
            type: 'string',
            description:
              'Why the cluster was read per request while the backend watches clusters (client-side auth, over the object cap, still listing).',
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
