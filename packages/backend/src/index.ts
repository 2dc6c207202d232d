/*
 * The backend that hosts Traffic Path: catalog, Kubernetes, permissions and
 * guest sign-in, with SQLite in memory unless `backend.database` says otherwise.
 */
import { createBackend } from '@backstage/backend-defaults';
import { permissionPolicyModule } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for development. Adopters add their own provider modules.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);

backend.add(import('@backstage/plugin-kubernetes-backend'));
// Lets Traffic Path read a cluster in one request per round (optional: without
// it Traffic Path reads through the Kubernetes proxy, one request per list).
backend.add(import('@internal/plugin-kubernetes-backend-module-traffic-path'));

// Traffic Path reads clusters through the Kubernetes backend above.
backend.add(import('@internal/plugin-traffic-path-backend'));
// Signals: Traffic Path tells open cards that an entity's routes changed (trafficPath.watch).
backend.add(import('@backstage/plugin-signals-backend'));

// AI assistants reach Traffic Path's actions (get-entity-traffic-path,
// list-exposure) over MCP at /api/mcp-actions/v1, with the caller's permissions.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
