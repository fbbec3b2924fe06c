/**
 * The `[licenses]` section of deny.toml, with cargo-deny's keys and defaults.
 * Every licensee and expression is parsed here, so a typo in `allow` is a
 * config error at that element's line and column, not a silent rejection later.
 */
import * as z from 'zod';
import type { KeyHistory } from '../../policy/toml-config.js';
import { cratePath, lintLevel, packageSpecString } from '../../policy/common.js';
import { PackageSpecError, parsePackageSpec, type PackageSpec } from '../../policy/package-spec.js';
import { CONFIG_STRICT, parseExpression, parseLicensee, SpdxParseError, type ExprNode, type Licensee } from './spdx.js';

/** `"MIT"`, `"Apache-2.0 WITH LLVM-exception"`, `"LicenseRef-Foo"`: parsed, with the text kept for messages. */
export const licenseeString = z.string().transform((text, ctx): { text: string; licensee: Licensee } => {
  try {
    return { text, licensee: parseLicensee(text) };
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `invalid licensee ${JSON.stringify(text)}: ${spdxMessage(e)}` });
    return z.NEVER;
  }
});

/** A full SPDX expression (clarifications): strict, deprecated ids accepted. */
const expressionString = z.string().transform((text, ctx): { text: string; expr: ExprNode } => {
  try {
    return { text, expr: parseExpression(text, CONFIG_STRICT) };
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `invalid license expression ${JSON.stringify(text)}: ${spdxMessage(e)}` });
    return z.NEVER;
  }
});

/** A parse error is the user's; anything else is our bug and must not pass for a config error. */
function spdxMessage(e: unknown): string {
  if (e instanceof SpdxParseError) return e.message;
  throw e;
}

/**
 * The crate an exception or clarification is for: `crate = "spec"`, or the
 * deprecated `name = "x", version = "<req>"` pair cargo-deny still reads.
 */
const crateKeys = {
  crate: packageSpecString.optional(),
  name: z.string().optional(),
  version: z.string().optional(),
  reason: z.string().optional(),
};

function resolveCrate(
  entry: { crate?: PackageSpec | undefined; name?: string | undefined; version?: string | undefined },
  ctx: z.RefinementCtx,
): PackageSpec {
  if (entry.crate !== undefined) {
    if (entry.name !== undefined || entry.version !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'use either `crate` or the deprecated `name`/`version`, not both' });
    }
    return entry.crate;
  }
  if (entry.name === undefined) {
    ctx.addIssue({ code: 'custom', message: 'missing `crate`' });
    return z.NEVER;
  }
  try {
    return parsePackageSpec(entry.version === undefined ? entry.name : `${entry.name}:${entry.version}`);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof PackageSpecError ? e.message : String(e) });
    return z.NEVER;
  }
}

export const licenseException = z
  .strictObject({ ...crateKeys, allow: z.array(licenseeString) })
  .transform((entry, ctx) => ({ spec: resolveCrate(entry, ctx), allow: entry.allow, reason: entry.reason }));
export type LicenseException = z.infer<typeof licenseException>;

/** A clarification's license file: path relative to the crate root, xxHash32 of its normalised text. */
const licenseFileSource = z.strictObject({
  path: cratePath,
  hash: z.number().int().min(0).max(0xffffffff),
});

export const clarification = z
  .strictObject({ ...crateKeys, expression: expressionString, 'license-files': z.array(licenseFileSource).default([]) })
  .transform((entry, ctx) => ({
    spec: resolveCrate(entry, ctx),
    expression: entry.expression,
    licenseFiles: entry['license-files'],
    reason: entry.reason,
  }));
export type Clarification = z.infer<typeof clarification>;

const sourceUrl = z.string().refine(
  (text) => {
    try {
      new URL(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a URL' },
);

export const licensesSection = z.strictObject({
  allow: z.array(licenseeString).default([]),
  exceptions: z.array(licenseException).default([]),
  'confidence-threshold': z.number().min(0).max(1).default(0.8),
  clarify: z.array(clarification).default([]),
  private: z
    .strictObject({
      ignore: z.boolean().default(false),
      registries: z.array(z.string()).default([]),
      'ignore-sources': z.array(sourceUrl).default([]),
    })
    .prefault({}),
  'unused-allowed-license': lintLevel.default('warn'),
  'unused-license-exception': lintLevel.default('warn'),
  'include-dev': z.boolean().default(false),
  'include-build': z.boolean().default(true),
  /** Accepted and ignored, as in cargo-deny. */
  version: z.number().int().optional(),
});

export type LicensesConfig = z.infer<typeof licensesSection>;

/** cargo-deny's separate exceptions file (`deny.exceptions.toml`): only `exceptions`. */
export const licenseExceptionsFile = z.strictObject({ exceptions: z.array(licenseException).default([]) });

/** The defaults, for callers without a deny.toml. */
export const defaultLicensesConfig = (): LicensesConfig => licensesSection.parse({});

const REMOVED_UNLICENSED =
  'unlicensed crates are always an error now; give the crate a license with `[[licenses.clarify]]` or an `exceptions` entry';
const REMOVED_BLANKET =
  'licenses are no longer allowed by category; list each one in `licenses.allow`';
const REMOVED_DENY = 'every license not in `licenses.allow` is rejected; remove it from `allow` instead';

export const licensesKeyHistory: KeyHistory = {
  removed: {
    'licenses.unlicensed': REMOVED_UNLICENSED,
    'licenses.allow-osi-fsf-free': REMOVED_BLANKET,
    'licenses.copyleft': REMOVED_BLANKET,
    'licenses.default': REMOVED_DENY,
    'licenses.deny': REMOVED_DENY,
  },
  moved: {},
};
