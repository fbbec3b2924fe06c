/**
 * The `[bans]` section of deny.toml, with cargo-deny's keys and defaults, and
 * its nested `[bans.build]` table (which our build check reads).
 *
 * Beyond cargo-deny: `bans.build.allow-proc-macros`, a list of package specs
 * like `allow-build-scripts` (unset = every proc-macro allowed, `[]` = none),
 * so a new compile-time crate in the tree becomes a reviewable finding.
 *
 * Cross-field rules (wrappers with deny-multiple-versions, a feature both
 * allowed and denied, bypass paths that are absolute or climb out with `..`)
 * are reported as zod issues with their path, so the loader places them at
 * the line and column of the offending entry.
 */
import * as z from 'zod';
import { cratePath, lintLevel, packageSpecEntry, packageSpecString, scope, simplePackageSpecEntry } from '../../policy/common.js';
import type { KeyHistory } from '../../policy/toml-config.js';

const CRATE_NAME = /^[A-Za-z0-9_-]+$/;
const crateName = z.string().regex(CRATE_NAME, 'expected a crate name');

/** A SHA-256 checksum as 64 hex digits (case is not significant). */
const sha256 = z
  .string()
  .regex(/^[0-9A-Fa-f]{64}$/, 'expected a SHA-256 checksum (64 hexadecimal digits)')
  .transform((s) => s.toLowerCase());

/** Every deny entry, string or table, comes out with the same shape. */
const denyEntry = packageSpecEntry({
  wrappers: z.array(crateName).optional(),
  'deny-multiple-versions': z.boolean().optional(),
  'use-instead': z.string().optional(),
}).transform((entry) => {
  const table = entry as Partial<{ wrappers: string[]; 'deny-multiple-versions': boolean; 'use-instead': string }>;
  return {
    spec: entry.spec,
    reason: entry.reason,
    wrappers: table.wrappers,
    'deny-multiple-versions': table['deny-multiple-versions'] ?? false,
    'use-instead': table['use-instead'],
  };
});

const skipTreeEntry = packageSpecEntry({
  depth: z.number().int().nonnegative().optional(),
}).transform((entry) => ({
  spec: entry.spec,
  reason: entry.reason,
  depth: (entry as { depth?: number }).depth,
}));

const featureEntry = z
  .strictObject({
    crate: packageSpecString,
    allow: z.array(z.string()).default([]),
    deny: z.array(z.string()).default([]),
    exact: z.boolean().default(false),
    reason: z.string().optional(),
  })
  .transform(({ crate, ...rest }) => ({ spec: crate, ...rest }));

const allowedPath = z.strictObject({
  path: cratePath,
  checksum: sha256.optional(),
});

const bypassEntry = z
  .strictObject({
    crate: packageSpecString,
    'build-script': sha256.optional(),
    'required-features': z.array(z.string()).default([]),
    'allow-globs': z.array(z.string()).default([]),
    allow: z.array(allowedPath).default([]),
    reason: z.string().optional(),
  })
  .transform(({ crate, ...rest }) => ({ spec: crate, ...rest }));

const scriptExtension = z.string().regex(/^[A-Za-z0-9]+$/, 'expected an extension of ASCII letters and digits, without the dot');

export const buildSection = z.strictObject({
  'allow-build-scripts': z.array(simplePackageSpecEntry).optional(),
  /** Ours: proc-macro crates allowed in the tree; unset = all, `[]` = none. */
  'allow-proc-macros': z.array(simplePackageSpecEntry).optional(),
  executables: lintLevel.default('deny'),
  interpreted: lintLevel.default('allow'),
  'script-extensions': z.array(scriptExtension).optional(),
  'enable-builtin-globs': z.boolean().default(false),
  'include-dependencies': z.boolean().default(false),
  'include-workspace': z.boolean().default(false),
  'include-archives': z.boolean().default(false),
  bypass: z.array(bypassEntry).default([]),
});

const workspaceDependencies = z.strictObject({
  duplicates: lintLevel.default('deny'),
  'include-path-dependencies': z.boolean().default(true),
  unused: lintLevel.default('deny'),
});

const stdReplacements = z.strictObject({
  scope: scope.default('workspace'),
  level: lintLevel.default('deny'),
  'rust-version': z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'expected a Rust version M.m or M.m.p').optional(),
  ignore: z.array(simplePackageSpecEntry).default([]),
  'ignore-rust-version': scope.default('none'),
});

export const bansSection = z
  .strictObject({
    'multiple-versions': lintLevel.default('warn'),
    'multiple-versions-include-dev': z.boolean().default(false),
    // cargo-deny's code defaults to allow (its docs say warn).
    wildcards: lintLevel.default('allow'),
    'allow-wildcard-paths': z.boolean().default(false),
    highlight: z.enum(['lowest-version', 'simplest-path', 'all']).default('all'),
    deny: z.array(denyEntry).default([]),
    allow: z.array(simplePackageSpecEntry).default([]),
    'allow-workspace': z.boolean().default(false),
    features: z.array(featureEntry).default([]),
    'external-default-features': lintLevel.optional(),
    'workspace-default-features': lintLevel.optional(),
    skip: z.array(simplePackageSpecEntry).default([]),
    'skip-tree': z.array(skipTreeEntry).default([]),
    'workspace-dependencies': workspaceDependencies.optional(),
    'std-replacements': stdReplacements.optional(),
    /** Unset = the build check is off, as in cargo-deny. */
    build: buildSection.optional(),
  })
  .superRefine((bans, ctx) => {
    bans.deny.forEach((entry, i) => {
      if (entry['deny-multiple-versions'] && (entry.wrappers?.length ?? 0) > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['deny', i, 'wrappers'],
          message: `crate '${entry.spec.text}' cannot have both 'wrappers' and 'deny-multiple-versions = true'`,
        });
      }
    });
    bans.features.forEach((entry, i) => {
      const allowed = new Set(entry.allow);
      entry.deny.forEach((feature, j) => {
        if (allowed.has(feature)) {
          ctx.addIssue({
            code: 'custom',
            path: ['features', i, 'deny', j],
            message: `feature '${feature}' of crate '${entry.spec.text}' is both allowed and denied`,
          });
        }
      });
    });
    const denied = new Map(bans.deny.map((entry, i) => [specKey(entry.spec), i]));
    bans.allow.forEach((entry, i) => {
      if (denied.has(specKey(entry.spec))) {
        ctx.addIssue({
          code: 'custom',
          path: ['allow', i],
          message: `crate '${entry.spec.text}' is both allowed and denied`,
        });
      }
    });
  });

const specKey = (spec: { name: string; req: string | undefined }): string => `${spec.name} ${spec.req ?? '*'}`;

export type BansConfig = z.infer<typeof bansSection>;
export type BuildConfig = z.infer<typeof buildSection>;
export type BansDenyEntry = BansConfig['deny'][number];
export type BypassEntry = BuildConfig['bypass'][number];

/** Keys of `[bans]` that moved or went away, for the loader (paths are from the document root). */
export const bansKeyHistory: KeyHistory = {
  moved: {
    'bans.allow-build-scripts': 'bans.build.allow-build-scripts',
  },
};

/** The section as it is when deny.toml has no `[bans]` table. */
export const defaultBansConfig = (): BansConfig => bansSection.parse({});
