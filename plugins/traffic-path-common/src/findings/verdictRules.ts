/*
 * Rules over a finished route's verdict: what the route says about the
 * client address the report was asked about (`--client-ip`).
 */
import { Finding, Route } from '../model';
import { describeRef } from '../util/fields';
import { makeFinding } from './catalog';

export type VerdictRule = (route: Route) => Finding[];

/** A hop on the way refuses the client. */
export const aclBlocksClient: VerdictRule = route => {
  const verdict = route.verdict;
  if (!verdict || verdict.allowed !== false || !verdict.blockedAt) return [];
  const hop = route.hops.find(h => h.kind === verdict.blockedAt);
  return [
    makeFinding(
      'ACL_BLOCKS_CLIENT',
      hop?.object ?? route.entry.object,
      `Client ${verdict.clientIp} is blocked at the ${
        verdict.blockedAt
      } hop of ${route.entry.host ?? describeRef(route.entry.object)}: ${
        verdict.reason
      }`,
      { routeIds: [route.id], hop: verdict.blockedAt },
    ),
  ];
};

export const verdictRules: VerdictRule[] = [aclBlocksClient];
