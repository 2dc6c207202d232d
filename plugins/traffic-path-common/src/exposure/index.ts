/*
 * Exposure as data: entry points, their comparison, and policy rules over them.
 */
export { exposureOf, exposureEntries } from './summary';
export type {
  Exposure,
  ExposureEntry,
  ExposureLoadBalancer,
  ExposureRule,
  ExposureSummary,
  FindingCounts,
  NetworkPolicyVerdict,
  SourceRestrictionKind,
  SourceRestrictionSummary,
} from './summary';
export { diffExposure, ruleText } from './diff';
export type { ExposureChange, ExposureChangeKind } from './diff';
export { evaluatePolicy, policyCodes } from './policy';
export type { ExposurePolicy, PolicyCode } from './policy';
