/*
 * Test helper for the route rules: the routes of real Kubernetes YAML (a
 * scenario of test/scenarios, or a manifest text), resolved as
 * resolveReport does it but without running any rule, so that a test can
 * run the one rule it is about on realistic hops.
 */
import { buildIndex } from '../../index/clusterIndex';
import { withDefaultNamespace } from '../../load/namespaces';
import { LoadResult, mergeLoadResults, parseDocuments } from '../../load/parse';
import { InputError } from '../../model';
import { resolveRoutes } from '../../report';
import { createContext, ResolveContext } from '../../resolve/context';
import { RouteDraft } from '../../resolve/plan';
import {
  loadFiles,
  loadScenario,
  realdataDir,
  scenariosDir,
} from '../../__testUtils__/scenarios';

export type Resolved = {
  ctx: ResolveContext;
  drafts: RouteDraft[];
  /** The route with this id (the test fails when there is none). */
  route(id: string): RouteDraft;
};

function resolveDrafts(load: LoadResult): Resolved {
  const objects = withDefaultNamespace(load.objects);
  const ctx = createContext(buildIndex(objects, load.listedKinds));
  const errors: InputError[] = [];
  const drafts = resolveRoutes(ctx, errors);
  // A route that throws fails the test, as flatMap did.
  if (errors.length)
    throw new Error(errors.map(e => `${e.source}: ${e.message}`).join('\n'));
  return {
    ctx,
    drafts,
    route: id => {
      const found = drafts.find(d => d.id === id);
      if (!found)
        throw new Error(
          `no route ${id}; routes: ${drafts.map(d => d.id).join(', ')}`,
        );
      return found;
    },
  };
}

/** The routes of a scenario of test/scenarios (with its included files). */
export function scenarioRoutes(name: string): Resolved {
  return resolveDrafts(loadScenario(name).load);
}

/**
 * The routes of manifests given as YAML text, after files of test/scenarios
 * (`_shared/ingress-nginx.yaml`): the text's objects replace theirs.
 */
export function yamlRoutes(text: string, include: string[] = []): Resolved {
  return resolveDrafts(
    mergeLoadResults([
      ...(include.length ? [loadFiles(include, scenariosDir)] : []),
      parseDocuments('test.yaml', text),
    ]),
  );
}

/** The routes of a real dump of test/realdata (`popeye/net_ingress_1.yaml`). */
export function realdataRoutes(path: string): Resolved {
  return resolveDrafts(loadFiles([path], realdataDir));
}
