/*
 * The diagram endpoint's answer: the route a docs page asks for (by route
 * id, or host and path, in an entity's answer) drawn by the engine as SVG,
 * Mermaid or Markdown. Pure, so that the choice of route and the error for
 * a route that is not there are tested without a backend.
 */
import { NotFoundError } from '@backstage/errors';
import {
  ClusterRoutes,
  EntityRoutes,
  Report,
  Route,
  routeMarkdown,
  routeToSvg,
  toMermaid,
} from '@internal/plugin-traffic-path-common';

export type DiagramFormat = 'svg' | 'mermaid' | 'markdown';
export type DiagramTheme = 'light' | 'dark';

export type DiagramQuery = {
  host?: string;
  path?: string;
  /** A route id as the routes API gives it; wins over host and path. */
  route?: string;
  cluster?: string;
};

export type ChosenRoute = { cluster: string; report: Report; route: Route };

type ClusterReport = Extract<ClusterRoutes, { report: Report }>;

const sameHost = (a: string | undefined, b: string) =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

/** What the query asked for, in words, for the 404. */
function asked(query: DiagramQuery): string {
  const parts: string[] = [];
  if (query.route !== undefined) parts.push(`route "${query.route}"`);
  if (query.host !== undefined) parts.push(`host "${query.host}"`);
  if (query.path !== undefined) parts.push(`path "${query.path}"`);
  if (query.cluster !== undefined) parts.push(`cluster "${query.cluster}"`);
  return parts.length ? parts.join(', ') : 'any route';
}

/**
 * The route of the query: by id, else the first with the host (and the
 * path, when given; the one for `/` or without a path first when not),
 * else the entity's first route. A 404 names what matched nothing.
 */
export function chooseRoute(
  answer: EntityRoutes,
  query: DiagramQuery,
): ChosenRoute {
  if (!answer.configured)
    throw new NotFoundError(
      `${answer.entityRef} has no routes to draw: ${
        answer.hint ?? 'it has no Kubernetes annotation'
      }`,
    );
  const clusters = answer.clusters.filter(
    c => query.cluster === undefined || c.cluster === query.cluster,
  );
  const reports = clusters.filter((c): c is ClusterReport => 'report' in c);
  const candidates = reports.flatMap(c =>
    c.report.routes.map(route => ({
      cluster: c.cluster,
      report: c.report,
      route,
    })),
  );
  const matches = candidates.filter(({ route }) => {
    if (query.route !== undefined) return route.id === query.route;
    if (query.host !== undefined && !sameHost(route.entry.host, query.host))
      return false;
    if (query.path !== undefined && route.entry.path !== query.path)
      return false;
    return true;
  });
  const rootFirst = [...matches].sort(
    (a, b) =>
      Number(!['/', undefined].includes(a.route.entry.path)) -
      Number(!['/', undefined].includes(b.route.entry.path)),
  );
  const chosen = query.path === undefined ? rootFirst[0] : matches[0];
  if (chosen) return chosen;
  const unread = clusters
    .filter(c => 'error' in c)
    .map(c => ('error' in c ? `${c.cluster} (${c.error.message})` : ''));
  const known = candidates
    .slice(0, 10)
    .map(
      ({ route }) =>
        `${route.entry.host ?? route.entry.object.name}${
          route.entry.path ?? ''
        }`,
    );
  throw new NotFoundError(
    `No route of ${answer.entityRef} matches ${asked(query)}${
      known.length ? `; its routes: ${[...new Set(known)].join(', ')}` : ''
    }${unread.length ? `; clusters not read: ${unread.join('; ')}` : ''}`,
  );
}

export type DiagramDocument = { contentType: string; body: string };

export function diagramDocument(
  chosen: ChosenRoute,
  format: DiagramFormat,
  theme: DiagramTheme,
): DiagramDocument {
  const { report, route } = chosen;
  if (format === 'mermaid')
    return {
      contentType: 'text/plain; charset=utf-8',
      body: toMermaid({ ...report, routes: [route] }),
    };
  if (format === 'markdown')
    return {
      contentType: 'text/markdown; charset=utf-8',
      body: routeMarkdown(report, route),
    };
  return {
    contentType: 'image/svg+xml; charset=utf-8',
    body: routeToSvg(route, { theme }),
  };
}

/**
 * Per user (the answer depends on their permissions and token), never in a
 * shared cache, and no fresher than the backend's own cache of answers.
 */
export function diagramCacheControl(cacheTtlSeconds: number): string {
  return cacheTtlSeconds > 0
    ? `private, max-age=${Math.floor(cacheTtlSeconds)}`
    : 'private, no-cache';
}
