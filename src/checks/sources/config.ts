/**
 * The `[sources]` section of deny.toml, with cargo-deny's keys and defaults.
 * Every URL is checked when the config loads (it must be a URL with a host),
 * and comes out both as written and reduced to what the check compares.
 */
import * as z from 'zod';
import { lintLevel } from '../../policy/common.js';
import type { KeyHistory } from '../../policy/toml-config.js';
import { GIT_SPECS } from './git-spec.js';
import { sourceLocation, type SourceLocation } from './url.js';

export const CRATES_IO_INDEX = 'https://github.com/rust-lang/crates.io-index';

export interface AllowedUrl {
  /** As written in deny.toml. */
  text: string;
  location: SourceLocation;
}

const allowedUrl = z.string().transform((text, ctx): AllowedUrl => {
  const location = sourceLocation(text);
  if (location) return { text, location };
  ctx.addIssue({ code: 'custom', message: `"${text}" is not a URL with a host` });
  return z.NEVER;
});

const orgName = z.string().regex(/^[^/\s]+$/, 'expected an organization or user name, without slashes');

export { GIT_SPECS, type GitSpec } from './git-spec.js';

export const sourcesSection = z.strictObject({
  'unknown-registry': lintLevel.default('warn'),
  'unknown-git': lintLevel.default('warn'),
  /** `[]` allows no registry at all, crates.io included. */
  'allow-registry': z.array(allowedUrl).prefault([CRATES_IO_INDEX]),
  'allow-git': z.array(allowedUrl).default([]),
  /** Prefixes: any repository or registry under one of these is allowed. */
  private: z.array(allowedUrl).default([]),
  'allow-org': z
    .strictObject({
      github: z.array(orgName).default([]),
      gitlab: z.array(orgName).default([]),
      bitbucket: z.array(orgName).default([]),
    })
    .prefault({}),
  /** Unset = any git source will do. */
  'required-git-spec': z.enum(GIT_SPECS).optional(),
  'unused-allowed-source': lintLevel.default('warn'),
  'unused-allowed-org': lintLevel.default('warn'),
});

export type SourcesConfig = z.infer<typeof sourcesSection>;

/** `[sources]` has neither removed nor moved keys. */
export const sourcesKeyHistory: KeyHistory = {};
