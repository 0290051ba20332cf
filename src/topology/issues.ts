import type * as z from 'zod';
import { portSettings } from '../catalog/types.js';
import { pathText, problem, type Path, type Problem } from './problem.js';
import { connectedGroupSchema, connectedServerSchema, deploymentSchema, featuresSchema, hostSchema } from './schema.js';
import { didYouMean } from './suggest.js';
import { shown, textRules } from './text.js';

type Issue = z.core.$ZodIssue;

/**
 * Turns zod's issues on `root` into the loader's problems: what was expected, what was found, how to fix
 * it. The value found is looked up by the issue's path, so zod need not copy inputs into its issues.
 */
export function problemsFromIssues(issues: readonly Issue[], root: unknown, prefix: Path = []): Problem[] {
  return issues.flatMap((issue) => {
    const at = issue.path as (string | number)[];
    return problemsFromIssue(issue, valueAt(root, at), [...prefix, ...at]);
  });
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function problemsFromIssue(issue: Issue, input: unknown, path: Path): Problem[] {
  switch (issue.code) {
    case 'invalid_type':
      return [wrongType(path, issue.expected, input)];
    case 'invalid_value':
      return [notAllowed(path, issue.values, input)];
    case 'too_small':
    case 'too_big':
      return [outOfBounds(path, issue.origin, input)];
    case 'invalid_format':
      return [badText(path, issue.pattern, input)];
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(path, key));
    default:
      return [problem(path, 'a valid value', shown(input), issue.message)];
  }
}

function wrongType(path: Path, expected: string, input: unknown): Problem {
  const key = path[path.length - 1];
  if (input === undefined) return missingKey(path, String(key), typeNoun(expected, key));
  return problem(path, typeNoun(expected, key), shown(input), typeHint(expected, input));
}

const requiredKeyExamples: Readonly<Record<string, string>> = {
  managementGroup: 'managementGroup: CONTOSO',
  hosts: 'hosts:',
  name: 'name: ms01.contoso.com',
  roles: 'roles: [agent]',
  managementServers: 'managementServers: [{ name: ms01.fabrikam.com, address: 10.80.0.5 }]',
};

/** Said of the mapping that lacks the key; the path still ends in the key, and locating it falls back to the mapping. */
function missingKey(path: Path, key: string, noun: string): Problem {
  const example = requiredKeyExamples[key] ?? `${key}: …`;
  return { path, message: `${pathText(path.slice(0, -1))}: expected the required key ${key} (${noun}), found no ${key}`, hint: `add "${example}"` };
}

function typeNoun(expected: string, key: string | number | undefined): string {
  if ((portSettings as readonly unknown[]).includes(key)) return 'a port number from 1 to 65535';
  const nouns: Readonly<Record<string, string>> = { string: 'text', int: 'a whole number', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping of keys to values' };
  return nouns[expected] ?? expected;
}

function typeHint(expected: string, input: unknown): string {
  if (input === null) return 'give it a value, or remove the key';
  if (expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) return `put it in quotes: "${String(input)}"`;
  const key = expected === 'string' ? readAsKey(input) : undefined;
  if (key !== undefined) return `YAML reads a plain value ending in ":" as a mapping; put it in quotes: "${key}:"`;
  if (expected === 'boolean') return 'write true or false, without quotes (YAML 1.2 reads yes/no/on/off as text)';
  if ((expected === 'int' || expected === 'number') && typeof input === 'string' && /^\d+$/.test(input)) return `write the number without quotes: ${input}`;
  if (expected === 'int' || expected === 'number') return 'write a whole number';
  if (expected === 'array' && typeof input === 'string') return `write a list, for example [${JSON.stringify(input.slice(0, 40))}]`;
  if (expected === 'array') return 'write a list: [a, b] or one "- item" line per entry';
  if (expected === 'object') return 'write "key: value" lines indented under the entry';
  return 'see docs/deployment-file.md';
}

/** `fd00::` unquoted is the mapping `{ "fd00:": null }` to YAML: the key, when the input is such a mapping. */
function readAsKey(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const entries = Object.entries(input);
  const [key, value] = entries[0] ?? [];
  return entries.length === 1 && value === null ? key : undefined;
}

function notAllowed(path: Path, values: readonly unknown[], input: unknown): Problem {
  const options = values.map(String);
  const expected = path[path.length - 2] === 'roles' ? 'a role' : `one of ${options.join(', ')}`;
  const suggestion = typeof input === 'string' ? didYouMean(input, options) : undefined;
  const hint = suggestion ?? (typeof input === 'string' || input === null ? `use one of ${options.join(', ')}` : `write it as text: one of ${options.join(', ')}`);
  return problem(path, expected, shown(input), hint);
}

/** Only lists (at least one entry) and ports (1 to 65535) have bounds in the schema. */
function outOfBounds(path: Path, origin: string, input: unknown): Problem {
  if (origin === 'array') return problem(path, 'at least one entry', 'an empty list', emptyListHint(path));
  return problem(path, 'a port number from 1 to 65535', shown(input), 'TCP and UDP ports run from 1 to 65535');
}

function emptyListHint(path: Path): string {
  const key = path[path.length - 1];
  if (key === 'reportsTo' || key === 'acsCollectors' || (key === 'managementServers' && path[0] === 'hosts')) {
    return `name at least one host, or remove ${key} to mean every ${key === 'acsCollectors' ? 'ACS collector' : 'management server'}`;
  }
  const needs: Readonly<Record<string, string>> = { hosts: 'a host', roles: 'a role', addresses: 'an address', managementServers: 'a management server' };
  return `add ${needs[String(key)] ?? 'an entry'}`;
}

function badText(path: Path, pattern: string | undefined, input: unknown): Problem {
  const rule = textRules.find((r) => String(r.pattern) === pattern);
  const value = typeof input === 'string' ? input : '';
  if (!rule) return problem(path, 'text of another form', shown(input), 'see docs/deployment-file.md');
  const finding = rule.explain(value);
  return problem(path, rule.expected, finding.found, finding.hint, finding.index === undefined ? {} : { charIndex: finding.index });
}

function unknownKey(path: Path, key: string): Problem {
  const { noun, keys } = objectAt(path);
  const hint = didYouMean(key, keys) ?? `${noun} may have the keys ${keys.join(', ')}`;
  return problem([...path, key], `a key of ${noun}`, `the unknown key ${shown(key)}`, hint, { atKey: true });
}

/** What kind of mapping sits at a path, and its keys, for "unknown key" messages. */
function objectAt(path: Path): { noun: string; keys: string[] } {
  const [first, , third] = path;
  const keysOf = (schema: { shape: object }) => Object.keys(schema.shape);
  if (first === 'features') return { noun: 'features', keys: keysOf(featuresSchema.unwrap()) };
  if (first === 'hosts') return { noun: 'a host', keys: keysOf(hostSchema) };
  if (first === 'connectedGroups' && third === 'managementServers') return { noun: 'a connected management server', keys: keysOf(connectedServerSchema) };
  if (first === 'connectedGroups') return { noun: 'a connected group', keys: keysOf(connectedGroupSchema) };
  return { noun: 'the deployment', keys: keysOf(deploymentSchema).filter((k) => k !== '$schema') };
}
