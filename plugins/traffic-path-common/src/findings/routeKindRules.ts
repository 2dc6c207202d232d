/*
 * Findings that are rules over routes of the Gateway API, Traefik and Istio
 * kinds: each reads the hops (facts) and says what is wrong with them; each
 * has its own test (findings/routeKindRules.test.ts).
 */
import type { RouteRule } from './rules';

export const routeKindRules: RouteRule[] = [];
