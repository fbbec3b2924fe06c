/**
 * The `[advisories]` section of deny.toml, with cargo-deny's keys and
 * defaults. Beyond cargo-deny: an ignored advisory may carry
 * `expires = YYYY-MM-DD`, after which the ignore no longer applies.
 *
 * `db-path` is kept as written here (default `$CARGO_HOME/advisory-dbs`); the
 * deny.toml loader expands `~` and environment variables in it, because that
 * needs the environment (see `dbPathPass` in src/policy/deny/load.ts).
 */
import * as z from 'zod';
import { lintLevel, scope, type Scope } from '../../policy/common.js';
import { isoDate } from '../../policy/audit-config.js';
import { PackageSpecError, parsePackageSpec, type PackageSpec } from '../../policy/package-spec.js';
import type { KeyHistory } from '../../policy/toml-config.js';
import type { PathSegment } from '../../toml/locate.js';
import { DurationError, parseDuration } from '../../policy/deny/duration.js';

import { DEFAULT_DB_PATH } from './defaults.js';

export { DEFAULT_DB_PATH } from './defaults.js';
export const DEFAULT_MAXIMUM_DB_STALENESS = 'P90D';

/**
 * cargo-deny's test for an advisory id in a mixed ignore list: an upper-case
 * ASCII prefix and a dash (RUSTSEC-, CVE-, GHSA-, TALOS-…). Anything else is
 * read as a package spec for a yanked crate.
 */
export const looksLikeAdvisoryId = (text: string): boolean => /^[A-Z]+-\S+$/.test(text);

const advisoryId = z.string().refine(looksLikeAdvisoryId, {
  message: 'expected an advisory id: an upper-case prefix and a dash, such as RUSTSEC-2019-0036 or GHSA-xxxx-xxxx-xxxx',
});

/** Where in deny.toml an ignore entry is written, for the diagnostics that point at it. */
const entryPath = (index: number): PathSegment[] => ['advisories', 'ignore', index];

type AdvisoryIgnoreEntry = { kind: 'advisory'; id: string; reason: string | undefined; expires: string | undefined };
type YankedIgnoreEntry = { kind: 'yanked'; spec: PackageSpec; reason: string | undefined };

const ignoreString = z.string().transform((text, ctx): AdvisoryIgnoreEntry | YankedIgnoreEntry => {
  if (looksLikeAdvisoryId(text)) return { kind: 'advisory', id: text, reason: undefined, expires: undefined };
  try {
    return { kind: 'yanked', spec: parsePackageSpec(text), reason: undefined };
  } catch (e) {
    const why = e instanceof PackageSpecError ? e.message : String(e);
    ctx.addIssue({
      code: 'custom',
      message: `expected an advisory id (such as RUSTSEC-2019-0036) or a package spec of a yanked crate (name, name@version or name:requirement): ${why}`,
    });
    return z.NEVER;
  }
});

const advisoryTable = z
  .strictObject({ id: advisoryId, reason: z.string().optional(), expires: isoDate.optional() })
  .transform((t): AdvisoryIgnoreEntry => ({ kind: 'advisory', id: t.id, reason: t.reason, expires: t.expires }));

const yankedTable = z
  .strictObject({ crate: z.string(), reason: z.string().optional() })
  .transform((t, ctx): YankedIgnoreEntry => {
    try {
      return { kind: 'yanked', spec: parsePackageSpec(t.crate), reason: t.reason };
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['crate'], message: e instanceof PackageSpecError ? e.message : String(e) });
      return z.NEVER;
    }
  });

/**
 * A table is an advisory ignore when it has `id`, else a yanked-crate ignore.
 * Choosing first (rather than trying both) gives one precise complaint about
 * the table instead of two about the shapes it might have meant.
 */
const ignoreTable = z.record(z.string(), z.unknown()).transform((table, ctx) => {
  const result = ('id' in table ? advisoryTable : yankedTable).safeParse(table);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue(issue as unknown as z.core.$ZodRawIssue);
  return z.NEVER;
});

const ignoreList = z
  .array(z.union([ignoreString, ignoreTable]))
  .transform((entries) => entries.map((entry, i) => ({ ...entry, path: entryPath(i) })));

/** `unmaintained` and `unsound` took lint levels before cargo-deny 0.16; say what they take now. */
const scopeSetting = (what: string) =>
  z.string().transform((value, ctx): Scope => {
    const parsed = scope.safeParse(value);
    if (parsed.success) return parsed.data;
    const wasLintLevel = lintLevel.safeParse(value).success;
    ctx.addIssue({
      code: 'custom',
      message:
        (wasLintLevel
          ? `"${value}" is a lint level, but this key now takes a scope saying which ${what} advisories are reported: `
          : `expected a scope saying which ${what} advisories are reported: `) +
        `"all" (every crate), "workspace" (crates a workspace member depends on directly), ` +
        `"transitive" (crates no workspace member depends on directly) or "none"`,
    });
    return z.NEVER;
  });

const dbUrl = z.string().superRefine((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a URL` });
    return;
  }
  if (url.hostname === '') ctx.addIssue({ code: 'custom', message: `"${text}" has no host (expected a URL such as https://github.com/rustsec/advisory-db)` });
});

const staleness = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch (e) {
    if (!(e instanceof DurationError)) throw e;
    ctx.addIssue({ code: 'custom', message: `invalid duration "${text}" at character ${e.offset + 1}: ${e.message}` });
    return z.NEVER;
  }
});

export const advisoriesSection = z.strictObject({
  /** As written; the loader expands `~` and variables. */
  'db-path': z.string().default(DEFAULT_DB_PATH),
  /** Empty = RustSec's advisory-db. */
  'db-urls': z.array(dbUrl).default([]),
  ignore: ignoreList.default([]),
  yanked: lintLevel.default('warn'),
  'disable-yank-checking': z.boolean().default(false),
  unmaintained: scopeSetting('unmaintained').default('all'),
  unsound: scopeSetting('unsound').default('workspace'),
  /** Accepted for compatibility; git is always run as a command. */
  'git-fetch-with-cli': z.boolean().default(false),
  /** In days. */
  'maximum-db-staleness': staleness.default(parseDuration(DEFAULT_MAXIMUM_DB_STALENESS)),
  'unused-ignored-advisory': lintLevel.default('warn'),
  /** Accepted and ignored, as in cargo-deny. */
  version: z.number().int().optional(),
});

export type AdvisoriesConfig = z.infer<typeof advisoriesSection>;
export type AdvisoriesIgnoreEntry = AdvisoriesConfig['ignore'][number];

/** Paths are from the document root. */
export const advisoriesKeyHistory: KeyHistory = {
  removed: {
    'advisories.vulnerability':
      'vulnerabilities are always errors; to accept one, add its id to `advisories.ignore`',
    'advisories.notice': 'notice advisories are always errors; to accept one, add its id to `advisories.ignore`',
    'advisories.severity-threshold':
      'there is no severity threshold; to accept an advisory whatever its severity, add its id to `advisories.ignore`',
  },
};
