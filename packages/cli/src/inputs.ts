/*
 * Shared by the commands that read files: the message when nothing usable
 * was read (exit 2).
 */
import { LoadResult } from '@internal/plugin-traffic-path-common';
import type { Io } from './index';

export function noObjects(load: LoadResult, inputs: string[], io: Io): number {
  const why = load.errors
    .map(e => `  ${e.source}${e.item ? ` (${e.item})` : ''}: ${e.message}`)
    .join('\n');
  io.err(
    `traffic-path: no Kubernetes objects in ${inputs.join(', ')}${
      why ? `\n${why}` : ''
    }\n`,
  );
  return 2;
}
