/*
 * Test data from the scenarios under test/scenarios, resolved by the engine
 * at test time and shaped as the backend answers, so the card is tested on
 * real cluster objects and never on a stale fixture.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  EntityRoutes,
  mergeLoadResults,
  parseDocuments,
  Report,
  resolveReport,
  ResolveOptions,
} from '@internal/plugin-traffic-path-common';

const scenarios = resolve(__dirname, '../../../../test/scenarios');

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap(name => files(join(path, name)));
}

/** The report of scenario inputs (paths relative to test/scenarios), as the engine makes it. */
export function scenarioReport(
  inputs: string[],
  options: ResolveOptions = {},
): Report {
  const loads = inputs
    .flatMap(i => files(join(scenarios, i)))
    .map(f => parseDocuments(f, readFileSync(f, 'utf8')));
  return resolveReport(mergeLoadResults(loads), options);
}

/** The backend's answer for the routes that end at one Service. */
export function entityRoutes(
  entityRef: string,
  report: Report,
  service: string,
  cluster = 'demo',
): EntityRoutes {
  const routes = report.routes.filter(
    r =>
      r.backend?.name === service ||
      (r.entry.object.kind === 'Service' && r.entry.object.name === service),
  );
  const ids = new Set(routes.map(r => r.id));
  return {
    entityRef,
    configured: true,
    clusters: [
      {
        cluster,
        report: {
          ...report,
          routes,
          findings: report.findings.filter(f =>
            f.routeIds?.some(id => ids.has(id)),
          ),
        },
        warnings: [],
        apiCalls: 10,
      },
    ],
  };
}

export const entity = (
  name: string,
  annotations: Record<string, string> = { 'backstage.io/kubernetes-id': name },
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/platform-team',
  },
});
