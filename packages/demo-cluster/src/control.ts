/*
 * The demo cluster's own endpoints, under /demo-cluster/ (outside /api and
 * /apis, so no Kubernetes client reaches them by mistake): the request
 * counter, and, when enabled, changes, faults, latency and the end of open
 * watches, for a demo cluster running in another process (the benchmark's).
 * They take the same bearer token as the API and are not counted.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { checkFaults } from './faults';
import { json, status } from './responses';
import type { DemoCluster, Fault } from './server';
import type { ObjectReference } from './store';

export const CONTROL_PREFIX = '/demo-cluster/';

const MAX_BODY = 256 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `[…]`, or a `kind: List` with items. */
function objectsOf(body: unknown): KubeObject[] | undefined {
  if (Array.isArray(body)) return body as KubeObject[];
  const items = (body as { items?: unknown })?.items;
  return Array.isArray(items) ? (items as KubeObject[]) : undefined;
}

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  cluster: DemoCluster,
  changesAllowed: boolean,
): Promise<void> {
  const what = path.slice(CONTROL_PREFIX.length);
  if (req.method === 'GET' && what === 'requests') {
    json(res, cluster.requestCounts());
    return;
  }
  const writes = [
    'apply',
    'remove',
    'replace',
    'faults',
    'latency',
    'end-watches',
  ];
  if (!writes.includes(what)) {
    status(res, 404, 'NotFound', `no demo-cluster endpoint ${path}`);
    return;
  }
  if (req.method !== 'POST') {
    status(res, 405, 'MethodNotAllowed', `${path} takes POST`);
    return;
  }
  if (!changesAllowed) {
    status(
      res,
      403,
      'Forbidden',
      `${path}: changes over HTTP are off (start with controlEndpoints: true, or --control-endpoints true)`,
    );
    return;
  }
  let body: unknown;
  try {
    const text = await readBody(req);
    body = text.trim() ? JSON.parse(text) : undefined;
  } catch (e) {
    status(
      res,
      400,
      'BadRequest',
      `${path}: the body is not JSON: ${String(e)}`,
    );
    return;
  }
  try {
    switch (what) {
      case 'apply':
      case 'replace': {
        const objects = objectsOf(body);
        if (!objects) {
          status(
            res,
            400,
            'BadRequest',
            `${path}: expected an array of objects or a List`,
          );
          return;
        }
        json(
          res,
          what === 'apply' ? cluster.apply(objects) : cluster.replace(objects),
        );
        return;
      }
      case 'remove':
        if (!Array.isArray(body)) {
          status(
            res,
            400,
            'BadRequest',
            `${path}: expected an array of {kind, namespace, name}`,
          );
          return;
        }
        json(res, cluster.remove(body as ObjectReference[]));
        return;
      case 'faults': {
        let faults: Fault[];
        try {
          faults = checkFaults(body);
        } catch (e) {
          status(res, 400, 'BadRequest', `${path}: ${(e as Error).message}`);
          return;
        }
        cluster.setFaults(faults);
        json(res, { faults: faults.length });
        return;
      }
      case 'latency': {
        const ms = (body as { ms?: unknown })?.ms;
        if (typeof ms !== 'number' || ms < 0) {
          status(res, 400, 'BadRequest', `${path}: expected {"ms": n}`);
          return;
        }
        cluster.setLatency(ms);
        json(res, { ms });
        return;
      }
      default: {
        const how = (body as { how?: unknown })?.how ?? 'end';
        if (how !== 'end' && how !== 'drop') {
          status(res, 400, 'BadRequest', `${path}: "how" is "end" or "drop"`);
          return;
        }
        json(res, { ended: cluster.endWatches(how) });
      }
    }
  } catch (e) {
    // remove() of an object that does not exist, apply() of one without a name.
    status(res, 422, 'Invalid', e instanceof Error ? e.message : String(e));
  }
}
