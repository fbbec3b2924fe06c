/**
 * The old table form of a package spec, `{ name = "x", version = "=1.0" }`,
 * which cargo-deny still reads wherever a spec is accepted. We read it too,
 * and say it is deprecated, naming the `crate = "…"` text that replaces it.
 *
 * Two ways in:
 * - `legacySpecPass`: a document pass the deny.toml loader runs before
 *   validation; it rewrites each old table into the current form and warns,
 *   so every section schema only ever sees `crate`.
 * - `legacySpecTable`: a zod schema of the old form, for schemas that parse
 *   specs outside the loader (it accepts silently: zod cannot warn).
 */
import * as z from 'zod';
import { PackageSpecError, parsePackageSpec, type PackageSpec } from '../package-spec.js';
import type { DocumentPass } from '../toml-config.js';
import { pathKey, type PathSegment } from '../../toml/locate.js';

/** The lists of deny.toml whose elements are package specs (after moved keys have moved). */
export const SPEC_LISTS: readonly (readonly string[])[] = [
  ['advisories', 'ignore'],
  ['bans', 'deny'],
  ['bans', 'allow'],
  ['bans', 'skip'],
  ['bans', 'skip-tree'],
  ['bans', 'features'],
  ['bans', 'build', 'allow-build-scripts'],
  ['bans', 'build', 'allow-proc-macros'],
  ['bans', 'build', 'bypass'],
  ['bans', 'std-replacements', 'ignore'],
  ['licenses', 'exceptions'],
  ['licenses', 'clarify'],
];

/**
 * The current spec text for an old `name`/`version` pair: `name@1.2.3` for an
 * exact version (`=1.2.3`), `name:<req>` for any other requirement.
 */
export function legacySpecText(name: string, version: string | undefined): string {
  if (version === undefined) return name;
  const exact = /^=\s*(\d[^,\s]*)$/.exec(version.trim());
  return exact ? `${name}@${exact[1]}` : `${name}:${version.trim()}`;
}

const isTable = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

function getList(doc: Record<string, unknown>, path: readonly string[]): unknown[] | undefined {
  let cur: unknown = doc;
  for (const key of path) {
    if (!isTable(cur)) return undefined;
    cur = cur[key];
  }
  return Array.isArray(cur) ? cur : undefined;
}

/** Rewrites old spec tables in `lists` (default: every spec list of deny.toml), warning at each. */
export function legacySpecPass(lists: readonly (readonly string[])[] = SPEC_LISTS): DocumentPass {
  return (doc, report) => {
    for (const listPath of lists) {
      const list = getList(doc, listPath);
      list?.forEach((entry, index) => {
        if (!isTable(entry) || !('name' in entry) || 'crate' in entry) return;
        const at: PathSegment[] = [...listPath, index];
        const { name, version } = entry;
        if (typeof name !== 'string') {
          report.error([...at, 'name'], `\`${pathKey([...at, 'name'])}\`: expected string`, at);
          return;
        }
        if (version !== undefined && typeof version !== 'string') {
          report.error([...at, 'version'], `\`${pathKey([...at, 'version'])}\`: expected string`, at);
          return;
        }
        const text = legacySpecText(name, version);
        try {
          parsePackageSpec(text);
        } catch (e) {
          if (!(e instanceof PackageSpecError)) throw e;
          const where = version === undefined ? 'name' : 'version';
          report.error([...at, where], `\`${pathKey(at)}\`: ${e.message}`, at);
          return;
        }
        delete entry.name;
        delete entry.version;
        entry.crate = text;
        const keys = version === undefined ? '`name` is' : '`name` and `version` are';
        report.warn(at, `\`${pathKey(at)}\`: ${keys} deprecated; write \`crate = "${text}"\` instead`);
      });
    }
  };
}

/**
 * zod schema of the old form with `extra` keys, giving the same shape as
 * `packageSpecEntry`'s table form (`{ spec, reason, ...extra }`). To accept
 * it in common.ts: `z.union([<string form>, <crate table>, legacySpecTable(extra)])`.
 */
export function legacySpecTable<E extends z.ZodRawShape>(extra: E) {
  return z
    .strictObject({ name: z.string(), version: z.string().optional(), reason: z.string().optional(), ...extra })
    .transform((table, ctx) => {
      const { name, version, ...rest } = table as { name: string; version?: string; reason?: string } & Record<string, unknown>;
      let spec: PackageSpec;
      try {
        spec = parsePackageSpec(legacySpecText(name, version));
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: [version === undefined ? 'name' : 'version'], message: e instanceof PackageSpecError ? e.message : String(e) });
        return z.NEVER;
      }
      return { spec, reason: rest.reason, ...rest } as { spec: PackageSpec; reason: string | undefined } & Omit<z.infer<z.ZodObject<E>>, 'crate'>;
    });
}
