/*
 * The result of `traffic-path check`: the report's findings (and the
 * policy's, and the input's own errors), each located where the input came
 * from a file, and which of them reach the threshold.
 */
import {
  ExposurePolicy,
  Finding,
  findingCodes,
  InputError,
  policyCodes,
  Report,
  Severity,
} from '@internal/plugin-traffic-path-common';
import { Location } from '../locate';

export type CheckFinding = Finding & { location?: Location };

export type CheckResult = {
  failOn: Severity;
  /** Every finding, errors first. */
  findings: CheckFinding[];
  /** How many findings reach the threshold. */
  failing: number;
  counts: Record<Severity, number>;
  routes: number;
};

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function reaches(severity: Severity, failOn: Severity): boolean {
  return rank[severity] <= rank[failOn];
}

/** An input error as a finding: a manifest the engine cannot read is worth a warning in a gate. */
export function inputErrorFinding(e: InputError): CheckFinding {
  const what = [e.item, e.field ? `field ${e.field}` : undefined]
    .filter(Boolean)
    .join(', ');
  return {
    code: 'INPUT_ERROR',
    severity: 'warning',
    object: { kind: 'File', name: e.source },
    message: `${what ? `${what}: ` : ''}${e.message}`,
    hint: 'Fix the object or field named: it is left out of the trace (or read as absent) until then.',
    reproduce: `traffic-path trace ${e.source}`,
  };
}

export type Rule = {
  id: string;
  severity: Severity;
  hint: string;
  /** The anchor of the code in docs/findings.md. */
  anchor: string;
};

/**
 * Every code a check may report: the engine's, the policy's (at the severity
 * the policy gives its rule, error by default) and INPUT_ERROR.
 */
export function allRules(policy?: ExposurePolicy): Rule[] {
  const rules: Rule[] = Object.entries(findingCodes).map(([id, info]) => ({
    id,
    severity: info.severity,
    hint: info.hint,
    anchor: id.toLowerCase(),
  }));
  for (const [id, info] of Object.entries(policyCodes))
    rules.push({
      id,
      severity:
        policy?.rules?.[info.rule as keyof NonNullable<ExposurePolicy['rules']>]
          ?.severity ?? 'error',
      hint: info.hint,
      anchor: id.toLowerCase(),
    });
  rules.push({
    id: 'INPUT_ERROR',
    severity: 'warning',
    hint: inputErrorFinding({ source: '', message: '' }).hint,
    anchor: 'input_error',
  });
  return rules.sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function checkResult(
  report: Report,
  policyFindings: Finding[],
  failOn: Severity,
  locate: (f: Finding) => Location | undefined,
  isFile: (source: string) => boolean,
  isPlatform: (file: string) => boolean = () => false,
): CheckResult {
  const findings: CheckFinding[] = [];
  for (const f of [...report.findings, ...policyFindings]) {
    const location = locate(f);
    // The platform's own objects are context, not what this gate judges.
    if (location && isPlatform((location.rendered ?? location).file)) continue;
    findings.push(location ? { ...f, location } : f);
  }
  findings.push(
    ...report.inputErrors
      .filter(e => !isPlatform(e.source))
      .map(e =>
        isFile(e.source)
          ? { ...inputErrorFinding(e), location: { file: e.source } }
          : inputErrorFinding(e),
      ),
  );
  findings.sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      (a.code < b.code ? -1 : Number(a.code > b.code)) ||
      (a.message < b.message ? -1 : Number(a.message > b.message)),
  );
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    failOn,
    findings,
    failing: findings.filter(f => reaches(f.severity, failOn)).length,
    counts,
    routes: report.routes.length,
  };
}
