/*
 * `traffic-path check`: trace the manifests, apply the policy, locate the
 * findings in the files, print them in the chosen format, and exit 3 when one
 * reaches the threshold.
 */
import {
  evaluatePolicy,
  exposureOf,
  KubeObject,
  LoadResult,
  mergeLoadResults,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { CheckArgs } from '../commands';
import { appendFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { readInputs, stdinName } from '../files';
import { locateObjects } from '../locate';
import { loadPolicy } from '../policy';
import { githubStepSummary, toGithub } from './github';
import { toJunit } from './junit';
import { CheckResult, checkResult } from './result';
import { toSarif } from './sarif';
import { helmTemplates } from './sources';
import { toCheckTable } from './table';
import type { Io } from '../index';
import { noObjects } from '../inputs';

export const exitFindings = 3;

function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** The objects of `load` that `other` does not also hold, their sources counted again. */
function without(load: LoadResult, other: LoadResult): LoadResult {
  const held = new Set(other.objects.map(objectKey));
  const objects: KubeObject[] = [];
  const sources: LoadResult['sources'] = [];
  let at = 0;
  for (const range of load.sources) {
    const kept = load.objects
      .slice(at, at + range.count)
      .filter(o => !held.has(objectKey(o)));
    at += range.count;
    objects.push(...kept);
    sources.push({ source: range.source, count: kept.length });
  }
  // Objects after the named sources (none from files) are kept as they are.
  objects.push(...load.objects.slice(at).filter(o => !held.has(objectKey(o))));
  return { ...load, objects, sources };
}

function toJson(result: CheckResult, policyFile: string | undefined): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      failOn: result.failOn,
      failed: result.failing > 0,
      failing: result.failing,
      counts: result.counts,
      routes: result.routes,
      policy: policyFile ?? null,
      findings: result.findings,
    },
    null,
    2,
  )}\n`;
}

/**
 * CI reads file names relative to the repository's root, which need not be
 * the current directory: --root, else GITHUB_WORKSPACE or CI_PROJECT_DIR.
 */
function rebase(
  result: CheckResult,
  cwd: string,
  root: string | undefined,
): CheckResult {
  const base =
    root ?? process.env.GITHUB_WORKSPACE ?? process.env.CI_PROJECT_DIR;
  if (!base) return result;
  const top = resolve(cwd, base);
  return {
    ...result,
    findings: result.findings.map(f => {
      if (!f.location || f.location.file === stdinName) return f;
      const file = relative(top, resolve(cwd, f.location.file));
      return file.startsWith('..') || isAbsolute(file)
        ? f
        : { ...f, location: { ...f.location, file } };
    }),
  };
}

export async function runCheck(
  args: CheckArgs,
  io: Io,
  version: string,
): Promise<number> {
  const policy = loadPolicy(io.cwd, args.policy);
  const templates = helmTemplates(io.cwd, args.sourceRoot);
  const checked = await readInputs(args.inputs, io.cwd, io.stdin);
  if (checked.load.objects.length === 0)
    return noObjects(checked.load, args.inputs, io);
  const platform = await readInputs(args.platform, io.cwd);
  // The checked manifests replace the platform's copies of an object (no duplicate to report).
  const load = mergeLoadResults([
    without(platform.load, checked.load),
    checked.load,
  ]);
  const texts = new Map([...platform.texts, ...checked.texts]);
  const report = resolveReport(
    load,
    args.namespace ? { namespace: args.namespace } : {},
  );
  const policyFindings = policy ? evaluatePolicy(report, policy.policy) : [];
  if (policy) {
    const unknown = exposureOf(report).entries.filter(
      e => e.exposure === 'unknown',
    );
    // Rules judge only what the input proves: say what they could not see.
    if (unknown.length > 0)
      io.err(
        `traffic-path: note: the exposure of ${
          unknown.length
        } entry point(s) is unknown (${unknown
          .slice(0, 3)
          .map(e => e.key)
          .join('; ')}${
          unknown.length > 3 ? '; …' : ''
        }): no load balancer or node port in front of them is in the input, so ${
          policy.file
        } could not judge them; add the platform's controllers with --platform\n`,
      );
  }
  const locate = locateObjects(
    load,
    texts,
    [...report.findings, ...policyFindings].map(f => f.object),
    templates,
  );
  const result = checkResult(
    report,
    policyFindings,
    args.failOn,
    f => locate(f.object),
    source => texts.has(source),
    file => platform.texts.has(file) && !checked.texts.has(file),
  );
  const rebased = rebase(result, io.cwd, args.root);
  const render = {
    table: () => toCheckTable(result),
    json: () => toJson(result, policy?.file),
    sarif: () =>
      toSarif(rebased, {
        version,
        docsUrl: args.docsUrl,
        policy: policy?.policy,
      }),
    junit: () => toJunit(rebased),
    github: () => toGithub(rebased),
  }[args.format];
  io.out(render());
  // In GitHub Actions, the job's summary page shows the verdict too.
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (args.format === 'github' && summaryFile)
    appendFileSync(summaryFile, githubStepSummary(rebased));
  return result.failing > 0 ? exitFindings : 0;
}
