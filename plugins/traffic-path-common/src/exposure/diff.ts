/*
 * What a change does to exposure: two summaries in, the differences out,
 * sorted by entry point. Pure, so that the CLI's `diff` and the ownership
 * review's change history say the same.
 */
import { ObjectRef } from '../model';
import {
  compareText,
  ExposureEntry,
  ExposureRule,
  ExposureSummary,
} from './summary';

export type ExposureChangeKind =
  | 'entry-added'
  | 'entry-removed'
  | 'became-public'
  | 'became-internal'
  | 'exposure-changed'
  | 'load-balancer-changed'
  | 'restriction-added'
  | 'restriction-removed'
  | 'restriction-changed'
  | 'tls-added'
  | 'tls-dropped'
  | 'blocked'
  | 'unblocked'
  | 'broken'
  | 'repaired'
  | 'new-error'
  | 'error-fixed';

export type ExposureChange = {
  kind: ExposureChangeKind;
  /** The entry point's key (ExposureEntry.key). */
  key: string;
  host?: string;
  path?: string;
  object: ObjectRef;
  /** `risk`: more may reach the service, or something broke; `improvement`: the reverse. */
  impact: 'risk' | 'improvement' | 'neutral';
  before?: string;
  after?: string;
  message: string;
};

const kindOrder: ExposureChangeKind[] = [
  'entry-added',
  'entry-removed',
  'became-public',
  'became-internal',
  'exposure-changed',
  'load-balancer-changed',
  'restriction-removed',
  'restriction-added',
  'restriction-changed',
  'tls-dropped',
  'tls-added',
  'blocked',
  'unblocked',
  'broken',
  'repaired',
  'new-error',
  'error-fixed',
];

function where(e: ExposureEntry): string {
  const place =
    e.host !== undefined || e.path !== undefined
      ? `${e.host ?? '*'}${e.path ?? ''}`
      : `port ${e.port ?? '?'}`;
  const o = e.object;
  return `${place} (${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${
    o.name
  })`;
}

export function ruleText(r: ExposureRule): string {
  const what = r.description ?? (r.cidrs.join(', ') || '(no ranges)');
  return `${r.mode} ${what} at the ${r.hop} (${r.origin})${
    r.ignored ? ', ignored' : ''
  }`;
}

function lbText(e: ExposureEntry): string {
  const lb = e.loadBalancer;
  if (!lb) return 'no load balancer';
  const name = lb.object
    ? `${lb.object.namespace ? `${lb.object.namespace}/` : ''}${lb.object.name}`
    : lb.provider;
  return `${name} ${lb.addresses.join(', ') || '(no address)'}`;
}

function blocked(e: ExposureEntry): string | undefined {
  if (e.verdict?.allowed === false)
    return `client ${e.verdict.clientIp} blocked at the ${
      e.verdict.blockedAt ?? 'unknown'
    } hop`;
  if (e.networkPolicy?.verdict === 'blocked')
    return `NetworkPolicy refuses it: ${e.networkPolicy.label}`;
  return undefined;
}

function entryChanges(
  before: ExposureEntry,
  after: ExposureEntry,
): Omit<ExposureChange, 'key' | 'host' | 'path' | 'object'>[] {
  const out: Omit<ExposureChange, 'key' | 'host' | 'path' | 'object'>[] = [];
  const at = where(after);
  if (before.exposure !== after.exposure) {
    let kind: ExposureChangeKind = 'exposure-changed';
    let impact: ExposureChange['impact'] = 'neutral';
    if (after.exposure === 'public') {
      kind = 'became-public';
      impact = 'risk';
    } else if (after.exposure === 'internal' && before.exposure === 'public') {
      kind = 'became-internal';
      impact = 'improvement';
    }
    out.push({
      kind,
      impact,
      before: before.exposure,
      after: after.exposure,
      message: `${at} is now ${after.exposure} (was ${before.exposure})`,
    });
  }
  if (lbText(before) !== lbText(after))
    out.push({
      kind: 'load-balancer-changed',
      impact: 'neutral',
      before: lbText(before),
      after: lbText(after),
      message: `${at} is now behind ${lbText(after)} (was ${lbText(before)})`,
    });
  const origins = (rules: ExposureRule[]) =>
    new Map(rules.map(r => [`${r.hop} ${r.origin}`, r]));
  const was = origins(before.sourceRestriction.rules);
  const now = origins(after.sourceRestriction.rules);
  for (const [origin, rule] of was) {
    const next = now.get(origin);
    if (!next)
      out.push({
        kind: 'restriction-removed',
        impact: rule.mode === 'allow' && !rule.ignored ? 'risk' : 'neutral',
        before: ruleText(rule),
        message: `${at} lost a source restriction: ${ruleText(rule)}`,
      });
    else if (ruleText(next) !== ruleText(rule))
      out.push({
        kind: 'restriction-changed',
        impact: 'neutral',
        before: ruleText(rule),
        after: ruleText(next),
        message: `${at} changed a source restriction: ${ruleText(
          next,
        )} (was ${ruleText(rule)})`,
      });
  }
  for (const [origin, rule] of now) {
    if (!was.has(origin))
      out.push({
        kind: 'restriction-added',
        impact:
          rule.mode === 'allow' && !rule.ignored ? 'improvement' : 'neutral',
        after: ruleText(rule),
        message: `${at} gained a source restriction: ${ruleText(rule)}`,
      });
  }
  if (before.tls !== after.tls)
    out.push(
      after.tls
        ? {
            kind: 'tls-added',
            impact: 'improvement',
            message: `${at} now serves TLS`,
          }
        : {
            kind: 'tls-dropped',
            impact: 'risk',
            message: `${at} no longer serves TLS`,
          },
    );
  const wasBlocked = blocked(before);
  const nowBlocked = blocked(after);
  if (!wasBlocked && nowBlocked)
    out.push({
      kind: 'blocked',
      impact: 'risk',
      after: nowBlocked,
      message: `${at} is now blocked: ${nowBlocked}`,
    });
  if (wasBlocked && !nowBlocked)
    out.push({
      kind: 'unblocked',
      impact: 'improvement',
      before: wasBlocked,
      message: `${at} is no longer blocked (was: ${wasBlocked})`,
    });
  if (before.health !== 'broken' && after.health === 'broken')
    out.push({
      kind: 'broken',
      impact: 'risk',
      after: after.brokenAt,
      message: `${at} is now broken at the ${after.brokenAt ?? 'unknown'} hop`,
    });
  if (before.health === 'broken' && after.health !== 'broken')
    out.push({
      kind: 'repaired',
      impact: 'improvement',
      before: before.brokenAt,
      message: `${at} is no longer broken (was broken at the ${
        before.brokenAt ?? 'unknown'
      } hop)`,
    });
  if (after.findings.error > before.findings.error)
    out.push({
      kind: 'new-error',
      impact: 'risk',
      before: String(before.findings.error),
      after: String(after.findings.error),
      message: `${at} has ${after.findings.error} error finding(s) (was ${before.findings.error})`,
    });
  if (after.findings.error < before.findings.error)
    out.push({
      kind: 'error-fixed',
      impact: 'improvement',
      before: String(before.findings.error),
      after: String(after.findings.error),
      message: `${at} has ${after.findings.error} error finding(s) (was ${before.findings.error})`,
    });
  return out;
}

function identity(e: ExposureEntry) {
  return {
    key: e.key,
    ...(e.host !== undefined ? { host: e.host } : {}),
    ...(e.path !== undefined ? { path: e.path } : {}),
    object: e.object,
  };
}

/** The changes from one summary to the next, sorted by entry point and kind. */
export function diffExposure(
  before: ExposureSummary,
  after: ExposureSummary,
): ExposureChange[] {
  const was = new Map(before.entries.map(e => [e.key, e]));
  const now = new Map(after.entries.map(e => [e.key, e]));
  const changes: ExposureChange[] = [];
  for (const [key, entry] of was) {
    if (!now.has(key))
      changes.push({
        ...identity(entry),
        kind: 'entry-removed',
        impact: 'neutral',
        before: entry.exposure,
        message: `${where(entry)} is no longer an entry point (was ${
          entry.exposure
        })`,
      });
  }
  for (const [key, entry] of now) {
    const old = was.get(key);
    if (!old) {
      const open =
        entry.exposure === 'public' && entry.sourceRestriction.kind === 'none';
      changes.push({
        ...identity(entry),
        kind: 'entry-added',
        impact: entry.exposure === 'internal' ? 'neutral' : 'risk',
        after: entry.exposure,
        message: `${where(entry)} is a new ${entry.exposure} entry point${
          open ? ' open to the whole internet' : ''
        }${entry.tls ? '' : ', without TLS'}`,
      });
    } else {
      for (const c of entryChanges(old, entry))
        changes.push({ ...identity(entry), ...c });
    }
  }
  return changes.sort(
    (a, b) =>
      compareText(a.key, b.key) ||
      kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
      compareText(a.message, b.message),
  );
}
