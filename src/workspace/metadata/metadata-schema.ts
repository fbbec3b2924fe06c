/**
 * The part of `cargo metadata --format-version 1` output the package graph
 * reads, as a zod schema. Fields newer Cargo versions added (`dep_kinds`,
 * `publish`, `rename`, `registry`, `links`) are optional so output of old
 * Cargo versions is still read; keys this module does not use are ignored.
 */
import * as z from 'zod';
import { inputError } from '../../errors.js';

const dependencyKind = z.enum(['normal', 'dev', 'build']).nullable();

const metadataDependency = z.object({
  name: z.string(),
  source: z.string().nullable(),
  req: z.string(),
  kind: dependencyKind,
  rename: z.string().nullable().optional(),
  optional: z.boolean(),
  uses_default_features: z.boolean(),
  features: z.array(z.string()),
  target: z.string().nullable(),
  registry: z.string().nullable().optional(),
  path: z.string().optional(),
});

const metadataTarget = z.object({
  name: z.string(),
  kind: z.array(z.string()),
  src_path: z.string(),
});

const metadataPackage = z.object({
  name: z.string(),
  version: z.string(),
  id: z.string(),
  license: z.string().nullable(),
  license_file: z.string().nullable(),
  source: z.string().nullable(),
  dependencies: z.array(metadataDependency),
  targets: z.array(metadataTarget),
  features: z.record(z.string(), z.array(z.string())),
  manifest_path: z.string(),
  publish: z.array(z.string()).nullable().optional(),
  links: z.string().nullable().optional(),
});

const resolveNode = z.object({
  id: z.string(),
  dependencies: z.array(z.string()),
  deps: z
    .array(
      z.object({
        name: z.string(),
        pkg: z.string(),
        dep_kinds: z.array(z.object({ kind: dependencyKind, target: z.string().nullable() })).optional(),
      }),
    )
    .optional(),
  features: z.array(z.string()).optional(),
});

export const cargoMetadata = z.object({
  packages: z.array(metadataPackage),
  workspace_members: z.array(z.string()),
  resolve: z.object({ nodes: z.array(resolveNode), root: z.string().nullable().optional() }).nullable(),
  workspace_root: z.string(),
  version: z.number(),
});

export type CargoMetadata = z.infer<typeof cargoMetadata>;
export type MetadataPackage = z.infer<typeof metadataPackage>;
export type MetadataDependency = z.infer<typeof metadataDependency>;

/** `packages[3].targets[0].kind`, the way a reader finds the spot in the JSON. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

const article = (expected: string): string => (/^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'array' ? 'array' : issue.expected === 'object' ? 'object' : String(issue.expected);
    if (issue.input === undefined) return `missing \`${where}\` ${expected === 'array' || expected === 'object' ? expected : `(${expected})`}`;
    return `\`${where}\` must be ${article(expected)}${issue.input === null ? ', not null' : ''}`;
  }
  return `\`${where}\`: ${issue.message}`;
}

/** The keys whose absence means the file is some other JSON, not cargo metadata output. */
const TOP_LEVEL = ['packages', 'workspace_members', 'resolve', 'workspace_root', 'version'];

/** Validates parsed JSON as cargo metadata output; every problem names the file and the JSON path. */
export function validateMetadata(data: unknown, file: string): CargoMetadata {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw inputError(`not cargo metadata output: the JSON is ${Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`}, not an object`, { file });
  }
  const version = (data as { version?: unknown }).version;
  if (typeof version === 'number' && version !== 1) {
    throw inputError(`unsupported cargo metadata format version ${version} (supported: 1, from \`--format-version 1\`)`, { file });
  }
  const result = cargoMetadata.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0] as z.core.$ZodIssue;
  const topLevel = first.path.length === 1 && TOP_LEVEL.includes(String(first.path[0])) && first.code === 'invalid_type' && first.input === undefined;
  if (topLevel) throw inputError(`not cargo metadata output: ${describeIssue(first)}`, { file });
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length === 2 ? '' : 's'})` : '';
  throw inputError(`malformed cargo metadata: ${describeIssue(first)}${more}`, { file });
}
