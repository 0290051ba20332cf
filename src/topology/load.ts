import { buildDeployment } from './build.js';
import { UserErrors } from './errors.js';
import type { Problem } from './problem.js';
import { readSource, type Source } from './source.js';
import type { Deployment } from './types.js';

/**
 * Reads and validates a deployment file (YAML or JSON). Pure: the caller reads the file.
 * Throws UserErrors holding every problem found, each with its file:line:column, what was expected,
 * what was found and a hint; never any other error, whatever the input.
 */
export function loadDeployment(text: string, file: string): Deployment {
  let source = readSource(text, file);
  let problems: Problem[] = [];
  let warnings: Problem[] = [];
  let deployment = buildDeployment(source.value, file, problems, warnings);
  if (deployment) return withWarnings(deployment, source, warnings);
  if (source.exact) {
    // The fast reading was refused: read again with the reference parser, which decides and places every problem.
    source = source.exact();
    problems = [];
    warnings = [];
    deployment = buildDeployment(source.value, file, problems, warnings);
    if (deployment) return withWarnings(deployment, source, warnings);
  }
  const errors = source.locate(problems);
  errors.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
  throw new UserErrors(errors);
}

/** Warnings are placed in the source like errors, only when there are any. */
function withWarnings(deployment: Deployment, source: Source, warnings: readonly Problem[]): Deployment {
  return warnings.length === 0 ? deployment : { ...deployment, warnings: source.locate(warnings) };
}
