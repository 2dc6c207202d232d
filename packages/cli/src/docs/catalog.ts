/*
 * Catalog entities and the Kubernetes objects they own, by the annotations
 * the Kubernetes plugin reads: backstage.io/kubernetes-id (objects labelled
 * backstage.io/kubernetes-id=<id>), backstage.io/kubernetes-label-selector,
 * and backstage.io/kubernetes-namespace.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  KubeObject,
  labelSelector,
  ObjectRef,
  Report,
  Route,
  SelectorError,
} from '@internal/plugin-traffic-path-common';
import { UsageError } from '../args';

export type Entity = {
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  owner?: string;
  system?: string;
  /** The label selector of its objects, as the annotation says it. */
  selector: string;
  /** Only objects of this namespace, when the annotation says so. */
  kubernetesNamespace?: string;
};

type Annotated = {
  kind?: unknown;
  metadata?: {
    name?: unknown;
    namespace?: unknown;
    title?: unknown;
    description?: unknown;
    annotations?: Record<string, unknown>;
  };
  spec?: { owner?: unknown; system?: unknown };
};

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The entities of catalog files that carry a Kubernetes annotation, sorted by
 * reference. A bad document or annotation is a problem naming file, entity
 * and annotation; the other entities are still read.
 */
export function readCatalog(
  files: string[],
  cwd: string,
): { entities: Entity[]; problems: string[] } {
  const entities: Entity[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(resolve(cwd, file), 'utf8');
    } catch {
      throw new UsageError(`--catalog ${file}: no such file`);
    }
    parseAllDocuments(source).forEach((doc, i) => {
      if (doc.errors.length > 0) {
        problems.push(
          `${file} (document ${i + 1}): invalid YAML, skipped: ${
            doc.errors[0].message.split('\n')[0]
          }`,
        );
        return;
      }
      const e = doc.toJS() as Annotated | null;
      const annotations = e?.metadata?.annotations ?? {};
      const id = text(annotations['backstage.io/kubernetes-id']);
      const selector =
        text(annotations['backstage.io/kubernetes-label-selector']) ??
        (id ? `backstage.io/kubernetes-id=${id}` : undefined);
      const name = text(e?.metadata?.name);
      if (!e || !selector || !name) return;
      try {
        labelSelector(selector);
      } catch (err) {
        if (!(err instanceof SelectorError)) throw err;
        problems.push(
          `${file}: ${
            text(e.kind) ?? 'entity'
          } ${name}: annotation backstage.io/kubernetes-label-selector: ${
            err.message
          }; no page for it`,
        );
        return;
      }
      const entity: Entity = {
        kind: text(e.kind) ?? 'Component',
        namespace: text(e.metadata?.namespace) ?? 'default',
        name,
        selector,
      };
      const optional: [keyof Entity, string | undefined][] = [
        ['title', text(e.metadata?.title)],
        ['description', text(e.metadata?.description)],
        ['owner', text(e.spec?.owner)],
        ['system', text(e.spec?.system)],
        [
          'kubernetesNamespace',
          text(annotations['backstage.io/kubernetes-namespace']),
        ],
      ];
      for (const [k, v] of optional)
        if (v !== undefined) (entity as Record<string, unknown>)[k] = v;
      entities.push(entity);
    });
  }
  entities.sort((a, b) => (entityRef(a) < entityRef(b) ? -1 : 1));
  return { entities, problems };
}

export function entityRef(e: Pick<Entity, 'kind' | 'namespace' | 'name'>) {
  return `${e.kind.toLowerCase()}:${e.namespace}/${e.name}`;
}

function refKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/**
 * The Services of an entity: those its selector matches, and those whose
 * pods it matches (a Service labelled otherwise but selecting its pods).
 */
export function entityServices(
  entity: Entity,
  objects: KubeObject[],
): Set<string> {
  const matches = labelSelector(entity.selector);
  const inScope = (o: KubeObject) =>
    !entity.kubernetesNamespace ||
    o.metadata.namespace === entity.kubernetesNamespace;
  const pods = objects.filter(
    o => o.kind === 'Pod' && inScope(o) && matches(o),
  );
  const services = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'Service' || !inScope(o)) continue;
    const ref = {
      kind: 'Service',
      namespace: o.metadata.namespace ?? 'default',
      name: o.metadata.name,
    };
    if (matches(o)) {
      services.add(refKey(ref));
      continue;
    }
    const selector = (o.spec as { selector?: Record<string, string> })
      ?.selector;
    if (!selector || Object.keys(selector).length === 0) continue;
    const selects = (p: KubeObject) =>
      p.metadata.namespace === o.metadata.namespace &&
      Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v);
    if (pods.some(selects)) services.add(refKey(ref));
  }
  return services;
}

/** The routes that end at one of these Services, or start at one (a LoadBalancer Service). */
export function routesOf(report: Report, services: Set<string>): Route[] {
  return report.routes.filter(
    r =>
      (r.backend && services.has(refKey(r.backend))) ||
      services.has(refKey(r.entry.object)),
  );
}

/** The part of a report about these routes: their findings, and those about their objects. */
export function subReport(report: Report, routes: Route[]): Report {
  const ids = new Set(routes.map(r => r.id));
  const objects = new Set<string>();
  for (const r of routes) {
    objects.add(refKey(r.entry.object));
    if (r.backend) objects.add(refKey(r.backend));
    for (const h of r.hops) if (h.object) objects.add(refKey(h.object));
  }
  return {
    ...report,
    routes,
    findings: report.findings.filter(f =>
      f.routeIds && f.routeIds.length > 0
        ? f.routeIds.some(id => ids.has(id))
        : objects.has(refKey(f.object)),
    ),
    inputErrors: [],
  };
}
