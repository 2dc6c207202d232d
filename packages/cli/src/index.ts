/*
 * `traffic-path`: the Traffic Path engine on the command line.
 */
import { resolve } from 'node:path';
import {
  resolveReport,
  toMarkdown,
  toMermaid,
  toTable,
  Report,
} from '@internal/plugin-traffic-path-common';
import { Format, parseArgs, usage, UsageError } from './args';
import { loadInputs } from './files';
import { LiveInputError, readLiveCluster } from './live';

export type Io = {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
};

const render: Record<Format, (r: Report) => string> = {
  table: toTable,
  json: r => `${JSON.stringify(r, null, 2)}\n`,
  mermaid: toMermaid,
  markdown: toMarkdown,
};

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.out(`${usage}\n`);
      return 0;
    }
    let load;
    if (args.kubeconfig) {
      const live = await readLiveCluster({
        kubeconfig: resolve(io.cwd, args.kubeconfig),
        context: args.context,
        namespace: args.namespace,
      });
      live.warnings.forEach(w => io.err(`traffic-path: warning: ${w}\n`));
      load = live.load;
    } else {
      load = loadInputs(args.inputs, io.cwd);
      if (load.objects.length === 0) {
        const why = load.errors
          .map(
            e => `  ${e.source}${e.item ? ` (${e.item})` : ''}: ${e.message}`,
          )
          .join('\n');
        io.err(
          `traffic-path: no Kubernetes objects in ${args.inputs.join(', ')}${
            why ? `\n${why}` : ''
          }\n`,
        );
        return 2;
      }
    }
    const report = resolveReport(load, {
      host: args.host,
      path: args.path,
      clientIp: args.clientIp,
    });
    io.out(render[args.format](report));
    if (args.format !== 'table') {
      for (const e of report.inputErrors)
        io.err(
          `traffic-path: warning: ${e.source}${e.item ? ` (${e.item})` : ''}${
            e.field ? ` field ${e.field}` : ''
          }: ${e.message}\n`,
        );
    }
    return 0;
  } catch (e) {
    if (e instanceof LiveInputError) {
      io.err(`traffic-path: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`traffic-path: ${e.message}\n\n${usage}\n`);
      return 2;
    }
    io.err(
      `traffic-path: internal error: ${
        e instanceof Error ? e.stack : String(e)
      }\n`,
    );
    return 1;
  }
}

export function run(argv: string[]): void {
  main(argv, {
    out: t => process.stdout.write(t),
    err: t => process.stderr.write(t),
    cwd: process.cwd(),
  }).then(code => {
    process.exitCode = code;
  });
}

export { loadInputs } from './files';
