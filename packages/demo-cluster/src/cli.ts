/*
 * `demo-cluster serve <file-or-dir…> [options]`: serves the objects of the
 * files as a read-only Kubernetes API (list, get and watch), follows changes
 * to the files as watch events, and prints a line when ready.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { checkFaults } from './faults';
import { ScenarioFiles, reloadOnChange } from './files';
import { ChangeSummary, Fault, startDemoCluster } from './server';

const usage = `Usage: demo-cluster serve <file-or-dir…> [--port N] [--host 127.0.0.1] [--token T]
         [--latency MS] [--faults faults.json] [--ca-out FILE] [--insecure-http true]
         [--reload true|false] [--reload-debounce MS] [--watch-history N] [--bookmark-interval S]
         [--control-endpoints true]

Serves Kubernetes objects (kubectl get -o json|yaml dumps, scenario files) as a
read-only Kubernetes API: discovery, list, get and watch (?watch=true with
resourceVersion, allowWatchBookmarks, timeoutSeconds, label and field selectors).

  --reload true|false     reread the files when they change on disk and send the
                          differences to watches as ADDED / MODIFIED / DELETED (default true)
  --reload-debounce MS    wait for the files to be quiet this long before rereading (default 200)
  --watch-history N       changes kept for watches that resume from a resourceVersion;
                          an older version gets 410 Gone (default 10000)
  --bookmark-interval S   seconds between BOOKMARK events of watches that allow them (default 60)
  --faults FILE           a JSON array of faults, the first that matches applies:
    { "path": "<regex>", "delayMs"?: n, "status"?: 500|403|410|…, "hang"?: true,
      "malformed"?: true, "watch"?: true|false, "times"?: n,
      "dropAfterEvents"?: n, "stall"?: true, "expire"?: true }
    "watch" limits a fault to watches (true) or to other requests (false);
    "dropAfterEvents" cuts a watch's connection after n events, "stall" opens a watch
    and sends nothing, "expire" opens it with an ERROR event of Status 410 Expired
    (these three apply to watches only); "times" spends the fault after n requests.

Request counts (total, by verb and path, watch events) are served at
GET /demo-cluster/requests, outside the Kubernetes API. --control-endpoints true
also takes POST /demo-cluster/apply (objects), remove ([{kind, namespace, name}]),
replace (objects), faults (as --faults), latency ({"ms": n}) and end-watches
({"how": "end"|"drop"}), with the same token: changes that watches see.`;

function fail(message: string): never {
  process.stderr.write(`demo-cluster: ${message}\n\n${usage}\n`);
  process.exit(2);
}

function number(options: Record<string, string>, name: string) {
  if (options[name] === undefined) return undefined;
  const n = Number(options[name]);
  if (!Number.isFinite(n) || n < 0)
    fail(`${name} needs a number, not "${options[name]}"`);
  return n;
}

function describeChanges(changes: ChangeSummary[]): string {
  const shown = changes
    .slice(0, 5)
    .map(
      c =>
        `${c.type} ${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`,
    );
  if (changes.length > 5) shown.push(`and ${changes.length - 5} more`);
  return shown.join(', ');
}

export async function run(argv: string[]): Promise<void> {
  if (argv[0] !== 'serve')
    fail(argv[0] ? `unknown command "${argv[0]}"` : 'no command');
  const options: Record<string, string> = {};
  const inputs: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      if (argv[i + 1] === undefined) fail(`${argv[i]} needs a value`);
      options[argv[i]] = argv[++i];
    } else {
      inputs.push(argv[i]);
    }
  }
  const known = [
    '--port',
    '--host',
    '--token',
    '--latency',
    '--faults',
    '--ca-out',
    '--insecure-http',
    '--reload',
    '--reload-debounce',
    '--watch-history',
    '--bookmark-interval',
    '--control-endpoints',
  ];
  const unknown = Object.keys(options).find(o => !known.includes(o));
  if (unknown) fail(`unknown option ${unknown}`);
  if (inputs.length === 0) fail('name at least one file or directory to serve');
  const reload = options['--reload'] ?? 'true';
  if (reload !== 'true' && reload !== 'false')
    fail(`--reload takes true or false, not "${reload}"`);
  const files = new ScenarioFiles(inputs);
  let read;
  try {
    read = files.read();
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const warn = (line: string) =>
    process.stderr.write(`demo-cluster: warning: ${line}\n`);
  read.warnings.forEach(warn);
  let faults: Fault[] = [];
  if (options['--faults']) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(options['--faults'], 'utf8'));
    } catch (e) {
      fail(`cannot read --faults ${options['--faults']}: ${String(e)}`);
    }
    try {
      faults = checkFaults(parsed);
    } catch (e) {
      fail(`--faults ${options['--faults']}: ${(e as Error).message}`);
    }
  }
  const bookmarkSeconds = number(options, '--bookmark-interval');
  const cluster = await startDemoCluster(
    {
      objects: read.objects,
      token: options['--token'],
      latencyMs: number(options, '--latency') ?? 0,
      faults,
      insecureHttp: options['--insecure-http'] === 'true',
      controlEndpoints: options['--control-endpoints'] === 'true',
      watchHistory: number(options, '--watch-history'),
      ...(bookmarkSeconds !== undefined
        ? { bookmarkIntervalMs: bookmarkSeconds * 1000 }
        : {}),
    },
    number(options, '--port') ?? 0,
    options['--host'] ?? '127.0.0.1',
  );
  if (options['--ca-out'] && cluster.certificate)
    writeFileSync(options['--ca-out'], cluster.certificate);
  const reloader =
    reload === 'true'
      ? reloadOnChange(cluster, files, {
          debounceMs: number(options, '--reload-debounce'),
          onReload: (changes, warnings) => {
            warnings.forEach(warn);
            if (changes.length > 0)
              process.stdout.write(
                `demo-cluster: files changed, resourceVersion ${cluster.resourceVersion()}: ${describeChanges(
                  changes,
                )}\n`,
              );
          },
        })
      : undefined;
  process.stdout.write(
    `demo-cluster: serving ${read.objects.length} objects at ${cluster.url}${
      options['--token'] ? ' (bearer token required)' : ''
    }${reloader ? ', following changes to the files' : ''}\n`,
  );
  const stop = () => {
    reloader?.stop();
    cluster.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
