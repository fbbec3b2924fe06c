/**
 * Load a TOML config file against a zod schema, reporting every problem at once
 * with the file, line and column it comes from. The schema is the one source of
 * truth for keys and types; this module only turns zod's issues into messages a
 * person can act on.
 */
import { smolToml } from '../toml/smol.js';
import type * as z from 'zod';
import { configError, SentinelError, type Problem, type SourcePlace } from '../errors.js';
import { locateToml, pathKey, type PathSegment, type TomlLocations } from '../toml/locate.js';

export interface LoadedToml<T> {
  value: T;
  locations: TomlLocations;
  /** Non-fatal remarks (deprecated keys and the like), with their places. */
  warnings: Problem[];
}

/**
 * How a pass over the raw document (before validation) reports. Places are
 * computed by the loader from the path. `error` also marks a path as settled:
 * validation problems at or under `settles` (default: `path`) are dropped,
 * since the pass has already said what is wrong there.
 */
export interface PassReport {
  warn(path: readonly PathSegment[], message: string): void;
  error(path: readonly PathSegment[], message: string, settles?: readonly PathSegment[]): void;
}

/**
 * A step that may rewrite the parsed document before it is validated: a
 * deprecated form turned into its current one (with a warning), a value that
 * depends on the environment expanded, and the like.
 */
export type DocumentPass = (doc: Record<string, unknown>, report: PassReport) => void;

export interface LoadTomlOptions {
  /** Run in order, after removed and moved keys are handled, before validation. */
  passes?: readonly DocumentPass[];
}

/**
 * A config file that failed to load: a config SentinelError with every
 * problem, which also carries the warnings found on the way, so a user sees
 * the deprecations of a file next to its errors.
 */
export class ConfigFileError extends SentinelError {
  readonly warnings: readonly Problem[];

  constructor(message: string, place: SourcePlace | undefined, problems: readonly Problem[], warnings: readonly Problem[]) {
    super('config', message, place, { problems });
    this.warnings = warnings;
  }
}

export interface KeyHistory {
  /** Keys the format removed: dotted path -> what replaced it. Using one is an error. */
  removed?: Record<string, string>;
  /** Keys that moved: dotted path -> new dotted path. Accepted with a warning. */
  moved?: Record<string, string>;
}

/** Parse TOML text; a syntax error becomes a config error at its line and column. */
export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return smolToml().parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof smolToml().TomlError) {
      const firstLine = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw configError(`invalid TOML: ${firstLine}`, { file, line: e.line, column: e.column });
    }
    throw configError(`invalid TOML: ${(e as Error).message}`, { file });
  }
}

export function loadTomlConfig<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  history: KeyHistory = {},
  options: LoadTomlOptions = {},
): LoadedToml<z.infer<S>> {
  const raw = parseTomlText(text, file);
  const locations = locateToml(text);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  // A moved value is validated at its new path but written at its old one.
  const movedFrom: Array<{ to: string[]; from: string[] }> = [];
  const place = (path: readonly PathSegment[]) => {
    const alias = movedFrom.find((m) => startsWith(path, m.to));
    const written = alias ? [...alias.from, ...path.slice(alias.to.length)] : path;
    const p = locations.nearest(written);
    return p ? { file, line: p.line, column: p.column } : { file };
  };

  for (const [oldKey, replacement] of Object.entries(history.removed ?? {})) {
    const path = oldKey.split('.');
    if (hasPath(raw, path)) {
      problems.push({ message: `\`${oldKey}\` has been removed: ${replacement}`, place: place(path) });
      deletePath(raw, path);
    }
  }
  for (const [oldKey, newKey] of Object.entries(history.moved ?? {})) {
    const path = oldKey.split('.');
    if (hasPath(raw, path)) {
      warnings.push({ message: `\`${oldKey}\` is deprecated: use \`${newKey}\` instead`, place: place(path) });
      const value = getPath(raw, path);
      deletePath(raw, path);
      const to = newKey.split('.');
      if (!hasPath(raw, to)) {
        setPath(raw, to, value);
        movedFrom.push({ to, from: path });
      }
    }
  }

  const settled: PathSegment[][] = [];
  const report: PassReport = {
    warn: (path, message) => warnings.push({ message, place: place(path) }),
    error: (path, message, settles = path) => {
      problems.push({ message, place: place(path) });
      settled.push([...settles]);
    },
  };
  for (const pass of options.passes ?? []) pass(raw, report);

  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (settled.some((s) => startsWith(issue.path as PathSegment[], s))) continue;
      problems.push(...issueToProblems(issue, place));
    }
  }
  warnings.sort(byPlace);
  if (problems.length > 0) {
    problems.sort(byPlace);
    const summary = problems.length === 1 ? problems[0]!.message : `${problems.length} problems in ${file}`;
    throw new ConfigFileError(summary, problems.length === 1 ? problems[0]!.place : { file }, problems, warnings);
  }
  return { value: (result as { data: z.infer<S> }).data, locations, warnings };
}

type Place = (path: readonly PathSegment[]) => Problem['place'];

const byPlace = (a: Problem, b: Problem): number =>
  (a.place?.line ?? 0) - (b.place?.line ?? 0) || (a.place?.column ?? 0) - (b.place?.column ?? 0);

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean =>
  prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);

function issueToProblems(issue: z.core.$ZodIssue, place: Place): Problem[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      message: `unknown key \`${pathKey([...path, key])}\``,
      place: place([...path, key]),
    }));
  }
  if (issue.code === 'invalid_union' && 'errors' in issue) {
    // A union failed: if exactly one branch got past the type check, its
    // complaint is the useful one; otherwise list the types that would do.
    const relevant = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
    if (relevant.length === 1) {
      return relevant[0]!.flatMap((inner) => issueToProblems({ ...inner, path: [...path, ...inner.path] }, place));
    }
    const expected = issue.errors.flatMap((branch) => branch.filter((i) => i.code === 'invalid_type').map((i) => tomlTypeName((i as { expected: string }).expected)));
    const where = path.length > 0 ? `\`${pathKey(path)}\`: ` : '';
    return [{ message: `${where}expected ${[...new Set(expected)].join(' or ') || 'a different value'}`, place: place(path) }];
  }
  const where = path.length > 0 ? `\`${pathKey(path)}\`: ` : '';
  return [{ message: `${where}${describeIssue(issue)}`, place: place(path) }];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${tomlTypeName(issue.expected)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
      return describeBound(issue);
    default:
      return issue.message;
  }
}

/** zod's default wording for bounds speaks of JavaScript types; say it in TOML terms. */
function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  if (issue.origin === 'string' && small && bound === 1) return 'expected a non-empty string';
  if (issue.origin === 'string' || issue.origin === 'array') {
    const unit = issue.origin === 'string' ? 'character' : 'element';
    return `expected ${small ? 'at least' : 'at most'} ${bound} ${unit}${bound === 1 ? '' : 's'}`;
  }
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `expected a number ${op} ${bound}`;
}

function getPath(obj: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function hasPath(obj: Record<string, unknown>, path: string[]): boolean {
  const parent = getPath(obj, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && path[path.length - 1]! in (parent as object);
}

function deletePath(obj: Record<string, unknown>, path: string[]): void {
  const parent = getPath(obj, path.slice(0, -1)) as Record<string, unknown> | undefined;
  if (parent) delete parent[path[path.length - 1]!];
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    if (cur[k] === undefined || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

/** zod speaks JavaScript; a TOML user knows tables, not objects. */
const tomlTypeName = (t: string): string => (t === 'object' || t === 'record' ? 'table' : t);
