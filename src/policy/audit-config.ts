/**
 * `audit.toml`, cargo-audit's configuration file, with cargo-audit's keys and
 * defaults. Every table denies unknown keys, as cargo-audit does, so a typo is
 * an error that names the key and its line rather than a silently ignored setting.
 *
 * Beyond cargo-audit, an `[advisories] ignore` entry may be a table
 * `{ id, reason, expires }`, and `id` may be an alias (CVE or GHSA id).
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { ADVISORY_ID_HINT, isAdvisoryId } from './advisory-id.js';
import { loadTomlConfig, type LoadedToml } from './toml-config.js';

const advisoryId = z.string().refine(isAdvisoryId, { message: ADVISORY_ID_HINT });

/** A TOML local date (smol-toml gives a Date) or a `YYYY-MM-DD` string. */
export const isoDate = z
  .union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'), z.date()])
  .transform((d) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10)));

const ignoreEntry = z.union([
  advisoryId.transform((id) => ({ id, reason: undefined as string | undefined, expires: undefined as string | undefined })),
  z.strictObject({ id: advisoryId, reason: z.string().optional(), expires: isoDate.optional() }),
]);

/** cargo-audit <= 0.20 accepted a single string for `arch`/`os`. */
const oneOrMany = z.union([z.string().transform((s) => [s]), z.array(z.string())]);

export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const DENY_KINDS = ['warnings', 'unmaintained', 'unsound', 'yanked'] as const;
export type DenyKind = (typeof DENY_KINDS)[number];
export const AUDIT_FORMATS = ['terminal', 'json', 'sarif'] as const;

export const auditConfigSchema = z.strictObject({
  advisories: z
    .strictObject({
      ignore: z.array(ignoreEntry).default([]),
      informational_warnings: z.array(z.string()).optional(),
      severity_threshold: z.enum(SEVERITIES).optional(),
    })
    .prefault({}),
  database: z
    .strictObject({
      path: z.string().optional(),
      url: z.string().optional(),
      fetch: z.boolean().default(true),
      stale: z.boolean().default(false),
    })
    .prefault({}),
  output: z
    .strictObject({
      deny: z.array(z.enum(DENY_KINDS)).default([]),
      format: z.enum(AUDIT_FORMATS).optional(),
      quiet: z.boolean().default(false),
      show_tree: z.boolean().default(true),
    })
    .prefault({}),
  target: z.strictObject({ arch: oneOrMany.default([]), os: oneOrMany.default([]) }).prefault({}),
  yanked: z.strictObject({ enabled: z.boolean().default(true), update_index: z.boolean().default(true) }).prefault({}),
});

export type AuditConfig = z.infer<typeof auditConfigSchema>;

export const parseAuditConfig = (text: string, file: string): LoadedToml<AuditConfig> =>
  loadTomlConfig(text, file, auditConfigSchema);

export async function readAuditConfig(file: string): Promise<LoadedToml<AuditConfig>> {
  return parseAuditConfig(await readFile(file, 'utf8'), file);
}
