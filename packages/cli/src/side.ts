/*
 * One side of `diff`: files in, exposure summary out. The two sides are
 * independent, so the second is summarised in a worker thread while the main
 * thread does the first, on a machine with a second core: on a 50k-pod dump each side is
 * mostly JSON.parse and a resolve, about 0.8 s of one core.
 */
import { availableParallelism } from 'node:os';
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import {
  ExposureSummary,
  exposureOf,
  InputError,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { UsageError } from './args';
import { readInputs } from './files';

export type SideResult =
  | { summary: ExposureSummary; inputErrors: InputError[] }
  | { noObjects: InputError[] };

export type SideRequest = {
  inputs: string[];
  cwd: string;
  clientIp?: string;
  namespace?: string;
};

export async function summariseSide(
  request: SideRequest,
  stdin?: () => Promise<string>,
): Promise<SideResult> {
  const { load } = await readInputs(request.inputs, request.cwd, stdin);
  if (load.objects.length === 0) return { noObjects: load.errors };
  const report = resolveReport(load, {
    ...(request.clientIp ? { clientIp: request.clientIp } : {}),
    ...(request.namespace ? { namespace: request.namespace } : {}),
  });
  return { summary: exposureOf(report), inputErrors: report.inputErrors };
}

type Reply = { result: SideResult } | { usage: string } | { failure: string };

/**
 * Summarises a side in a worker thread, or undefined where no worker can run
 * the sources (a bundled build): the caller then does it itself.
 */
export function summariseInWorker(
  request: SideRequest,
  spareCore = availableParallelism() >= 2,
): Promise<SideResult> | undefined {
  if (!__filename.endsWith('.ts') || request.inputs.includes('-'))
    return undefined;
  // A worker costs a second load of the sources (about 0.3 s of CPU): worth it
  // with a second core. The load average is no guide: it lags by a minute, and
  // on a 2-core machine with one core busy (load 1.0) the worker still took the
  // 50k-pod diff from 2.3 s to 2.0 s.
  if (!spareCore) return undefined;
  const transform = require.resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
  );
  const code = `require(${JSON.stringify(transform)}); require(${JSON.stringify(
    __filename,
  )});`;
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(code, { eval: true, workerData: request });
    worker.once('message', (reply: Reply) => {
      if ('result' in reply) resolvePromise(reply.result);
      else if ('usage' in reply) reject(new UsageError(reply.usage));
      else reject(new Error(reply.failure));
      worker.unref();
    });
    worker.once('error', reject);
  });
}

// Inside the worker: summarise the side it was given and send it back.
if (!isMainThread && parentPort && workerData?.inputs) {
  const port = parentPort;
  summariseSide(workerData as SideRequest).then(
    result => port.postMessage({ result } satisfies Reply),
    e =>
      port.postMessage(
        (e instanceof UsageError
          ? { usage: e.message }
          : {
              failure: e instanceof Error ? e.stack ?? e.message : String(e),
            }) satisfies Reply,
      ),
  );
}
