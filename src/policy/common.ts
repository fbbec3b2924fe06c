/**
 * zod building blocks shared by every section of deny.toml: lint levels,
 * scopes, package specs (string or table form), reasons and paths inside a crate.
 */
import * as z from 'zod';
import { PackageSpecError, parsePackageSpec, type PackageSpec } from './package-spec.js';
import { isAbsoluteAnywhere } from '../workspace/metadata/package-paths.js';
import { LINT_LEVELS, SCOPES } from './levels.js';

export { severityOfLint, type LintLevel, type Scope } from './levels.js';

export const lintLevel = z.enum(LINT_LEVELS);
export const scope = z.enum(SCOPES);

/** A package spec string (`name`, `name@1.2.3`, `name:<req>`), parsed and validated. */
export const packageSpecString = z.string().transform((text, ctx): PackageSpec => {
  try {
    return parsePackageSpec(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof PackageSpecError ? e.message : String(e) });
    return z.NEVER;
  }
});

/**
 * `"spec"` or `{ crate = "spec", reason = "…" }` plus whatever extra keys a
 * list allows (`extra`). The result always has `spec` and `reason`.
 */
export function packageSpecEntry<E extends z.ZodRawShape>(extra: E) {
  return z.union([
    packageSpecString.transform((spec) => ({ spec, reason: undefined as string | undefined })),
    z
      .strictObject({ crate: packageSpecString, reason: z.string().optional(), ...extra })
      .transform((table) => {
        const { crate, ...rest } = table as { crate: PackageSpec; reason?: string } & Record<string, unknown>;
        return { spec: crate, ...rest } as { spec: PackageSpec; reason: string | undefined } & Omit<z.infer<z.ZodObject<E>>, 'crate'>;
      }),
  ]);
}

/** The same without extra keys. */
export const simplePackageSpecEntry = packageSpecEntry({});
export type SpecEntry = z.infer<typeof simplePackageSpecEntry>;

/**
 * A path inside a crate's directory (`licenses.clarify[].license-files[].path`,
 * `bans.build.bypass[].allow[].path`): relative to the crate's root and without
 * any `..` component, even one that would stay inside: one rule nobody can
 * get wrong. The checks confine what they read as well; this makes a wrong
 * path a config error at its line instead of a finding at check time.
 */
export const cratePath = z.string().superRefine((path, ctx) => {
  const expected = "give a path relative to the crate's root";
  const shown = JSON.stringify(path);
  if (path === '') ctx.addIssue({ code: 'custom', message: `the path is empty; ${expected}` });
  else if (isAbsoluteAnywhere(path)) ctx.addIssue({ code: 'custom', message: `${shown} is absolute; ${expected}` });
  else if (path.split(/[\\/]/).includes('..')) ctx.addIssue({ code: 'custom', message: `${shown} has a \`..\` component; ${expected}, without \`..\`` });
});
