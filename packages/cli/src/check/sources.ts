/*
 * `check --source-root DIR`: where the charts of `helm template`'s
 * `# Source: <chart>/templates/<file>` comments are in the repository, so
 * that findings point at the template a reviewer edits rather than at the
 * generated text. DIR is the directory holding the chart (its parent, the
 * default being the current directory) or the chart itself.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from '../args';
import { Template, TemplateLookup } from '../locate';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The templates under `sourceRoot` (relative to `cwd`), read once each. */
export function helmTemplates(
  cwd: string,
  sourceRoot: string | undefined,
): TemplateLookup {
  const top = resolve(cwd, sourceRoot ?? '.');
  if (sourceRoot !== undefined && !existsSync(top))
    throw new UsageError(
      `--source-root ${sourceRoot}: no such file or directory`,
    );
  // DIR may be the chart itself: then `<chart>/` of the comment is DIR.
  const isChart = isFile(join(top, 'Chart.yaml'));
  const found = new Map<string, Template | undefined>();
  return source => {
    if (found.has(source)) return found.get(source);
    const parts = source.split('/');
    let template: Template | undefined;
    // Only a path inside DIR: a comment is text of the input, not a path to follow anywhere.
    if (!isAbsolute(source) && !parts.includes('..') && parts.length > 1) {
      const candidates = [join(top, ...parts)];
      if (isChart) candidates.push(join(top, ...parts.slice(1)));
      const path = candidates.find(isFile);
      if (path)
        template = {
          file: relative(cwd, path) || path,
          text: readFileSync(path, 'utf8'),
        };
    }
    found.set(source, template);
    return template;
  };
}
