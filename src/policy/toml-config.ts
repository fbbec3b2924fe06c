/**
 * Load a TOML config file against a zod schema, reporting every problem at once
 * with the file, line and column it comes from. The schema is the one source of
 * truth for keys and types; this module only turns zod's issues into messages a
 * person can act on.
 */
import { smolToml } from '../toml/smol.js';
import type { z } from 'zod';
import { configError, type Problem } from '../errors.js';
import { locateToml, pathKey, type PathSegment, type TomlLocations } from '../toml/locate.js';

export interface LoadedToml<T> {
  value: T;
  locations: TomlLocations;
  /** Non-fatal remarks (deprecated keys and the like), with their places. */
  warnings: Problem[];
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
): LoadedToml<z.infer<S>> {
  const raw = parseTomlText(text, file);
  const locations = locateToml(text);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const place = (path: readonly PathSegment[]) => {
    const p = locations.nearest(path);
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
      if (!hasPath(raw, newKey.split('.'))) setPath(raw, newKey.split('.'), value);
    }
  }

  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...issueToProblems(issue, place));
  }
  if (problems.length > 0) {
    problems.sort((a, b) => (a.place?.line ?? 0) - (b.place?.line ?? 0) || (a.place?.column ?? 0) - (b.place?.column ?? 0));
    const summary = problems.length === 1 ? problems[0]!.message : `${problems.length} problems in ${file}`;
    throw configError(summary, problems.length === 1 ? problems[0]!.place : { file }, undefined, problems);
  }
  return { value: (result as { data: z.infer<S> }).data, locations, warnings };
}

type Place = (path: readonly PathSegment[]) => Problem['place'];

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
    default:
      return issue.message;
  }
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
const tomlTypeName = (t: string): string => (t === 'object' ? 'table' : t === 'date' ? 'date' : t);
