/*
 * Test helper: the report of scenario inputs (paths relative to
 * test/scenarios), as the engine makes it, for the drawing's tests.
 */
import { Report } from '../../model';
import { resolveReport, ResolveOptions } from '../../report';
import { loadFiles, scenariosDir } from '../../__testUtils__/scenarios';

export function scenarioReport(
  inputs: string[],
  options: ResolveOptions = {},
): Report {
  return resolveReport(loadFiles(inputs, scenariosDir), options);
}
