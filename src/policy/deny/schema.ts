/**
 * deny.toml as one zod schema: `[graph]` and `[output]` (defined here) and
 * each check's own section (defined in its folder). Every table is strict, so
 * an unknown key anywhere is an error at its line and column. The key
 * histories of all sections are merged for the loader.
 */
import * as z from 'zod';
import { advisoriesKeyHistory, advisoriesSection } from '../../checks/advisories/config.js';
import { bansKeyHistory, bansSection } from '../../checks/bans/config.js';
import { licensesKeyHistory, licensesSection } from '../../checks/licenses/config.js';
import { sourcesKeyHistory, sourcesSection } from '../../checks/sources/config.js';
import type { KeyHistory } from '../toml-config.js';

/** `"x86_64-unknown-linux-gnu"` or `{ triple = "…", features = ["…"] }`; always the table form after parsing. */
const target = z
  .union([z.string().min(1), z.strictObject({ triple: z.string().min(1), features: z.array(z.string()).default([]) })])
  .transform((t) => (typeof t === 'string' ? { triple: t, features: [] as string[] } : t));

export const graphSection = z.strictObject({
  /** Empty = every target. */
  targets: z.array(target).default([]),
  /** Package id specs (as `cargo metadata`/`--exclude` take them). */
  exclude: z.array(z.string()).default([]),
  'all-features': z.boolean().default(false),
  'no-default-features': z.boolean().default(false),
  features: z.array(z.string()).default([]),
  'exclude-dev': z.boolean().default(false),
  'exclude-unpublished': z.boolean().default(false),
});

export const outputSection = z.strictObject({
  'feature-depth': z.number().int().nonnegative().default(1),
});

export const denyConfigSchema = z.strictObject({
  graph: graphSection.prefault({}),
  output: outputSection.prefault({}),
  advisories: advisoriesSection.prefault({}),
  licenses: licensesSection.prefault({}),
  bans: bansSection.prefault({}),
  sources: sourcesSection.prefault({}),
});

export type GraphConfig = z.infer<typeof graphSection>;
export type OutputConfig = z.infer<typeof outputSection>;
export type DenyConfig = z.infer<typeof denyConfigSchema>;

/** Root keys cargo-deny moved into `[graph]` and `[output]` (still read, with a warning). */
const rootKeyHistory: KeyHistory = {
  moved: {
    targets: 'graph.targets',
    exclude: 'graph.exclude',
    features: 'graph.features',
    'all-features': 'graph.all-features',
    'no-default-features': 'graph.no-default-features',
    'exclude-dev': 'graph.exclude-dev',
    'feature-depth': 'output.feature-depth',
  },
};

/** A section's history with every path from the document root (sections may write them either way). */
function rooted(section: string, history: KeyHistory): KeyHistory {
  const root = (key: string) => (key.startsWith(`${section}.`) ? key : `${section}.${key}`);
  const map = (record: Record<string, string> | undefined, values: boolean) =>
    Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [root(k), values ? root(v) : v]));
  return { removed: map(history.removed, false), moved: map(history.moved, true) };
}

function mergeHistories(...histories: KeyHistory[]): KeyHistory {
  return {
    removed: Object.assign({}, ...histories.map((h) => h.removed ?? {})) as Record<string, string>,
    moved: Object.assign({}, ...histories.map((h) => h.moved ?? {})) as Record<string, string>,
  };
}

export const denyKeyHistory: KeyHistory = mergeHistories(
  rootKeyHistory,
  rooted('advisories', advisoriesKeyHistory),
  rooted('licenses', licensesKeyHistory),
  rooted('bans', bansKeyHistory),
  rooted('sources', sourcesKeyHistory),
);
