/**
 * `bans.features` (per-crate allow, deny and exact feature sets) and the
 * `workspace-default-features` / `external-default-features` lints, on the
 * features cargo resolved. A graph without resolved features (Cargo.lock
 * only) gets no verdicts at all, and one note that says so.
 */
import type { Diagnostic, Label } from '../../diagnostics/types.js';
import { severityOfLint, type LintLevel } from '../../policy/levels.js';
import { specMatches } from '../../policy/package-spec.js';
import type { PackageNode } from '../../workspace/package-graph.js';
import type { BansConfig } from './config.js';
import { bansDiagnostic, bansKey, lockEntry, type BansContext } from './context.js';
import { crateDisplay } from './graph-queries.js';

type FeatureEntry = BansConfig['features'][number];

export function checkFeatures(ctx: BansContext): Diagnostic[] {
  const { config } = ctx;
  const hasRules = config.features.length > 0 || config['workspace-default-features'] !== undefined || config['external-default-features'] !== undefined;
  if (!hasRules) return [];
  const out: Diagnostic[] = [];
  let unknown = 0;
  for (const node of ctx.packages) {
    if (node.enabledFeatures === undefined) {
      unknown++;
      continue;
    }
    out.push(...featureDiagnostics(ctx, node, node.enabledFeatures));
  }
  if (unknown > 0) {
    const which = unknown === ctx.packages.length ? 'the graph' : `${unknown} of ${ctx.packages.length} crates`;
    out.push(
      bansDiagnostic(
        'features-unknown',
        'note',
        `enabled features are unknown for ${which} (no cargo metadata): feature rules were not checked for them`,
        undefined,
        [bansKey(ctx, config.features.length > 0 ? ['features'] : [], 'feature rules')],
      ),
    );
  }
  return out;
}

function featureDiagnostics(ctx: BansContext, node: PackageNode, enabled: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const defaultKey = node.isWorkspaceMember ? 'workspace-default-features' : 'external-default-features';
  const defaultLint: LintLevel | undefined = enabled.includes('default') ? ctx.config[defaultKey] : undefined;
  const defaultEnabled = () =>
    bansDiagnostic('default-feature-enabled', severityOfLint(defaultLint!), `'default' feature enabled for crate '${crateDisplay(node)}'`, node, [
      lockEntry(ctx, node, 'crate with its default feature enabled'),
      bansKey(ctx, [defaultKey], 'lint level'),
    ]);
  if (defaultLint === 'warn') out.push(defaultEnabled());

  let matched = false;
  ctx.config.features.forEach((entry, i) => {
    if (!specMatches(entry.spec, node.name, node.version)) return;
    matched = true;
    out.push(...entryDiagnostics(ctx, node, enabled, entry, i, defaultLint, defaultEnabled));
  });
  if (!matched && defaultLint === 'deny') out.push(defaultEnabled());
  return out;
}

function entryDiagnostics(
  ctx: BansContext,
  node: PackageNode,
  enabled: string[],
  entry: FeatureEntry,
  i: number,
  defaultLint: LintLevel | undefined,
  defaultEnabled: () => Diagnostic,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string): Label => bansKey(ctx, ['features', i, ...path], message);
  // A `default` that a non-deny default-features lint already speaks for is not the entry's business.
  const notAllowed = enabled.filter((f) => !entry.allow.includes(f) && !(f === 'default' && defaultLint !== undefined && defaultLint !== 'deny'));

  if (entry.exact) {
    const missing = entry.allow.map((f, j) => [f, j] as const).filter(([f]) => !enabled.includes(f));
    if (missing.length > 0 || notAllowed.length > 0) {
      out.push(
        bansDiagnostic(
          'exact-features-mismatch',
          'error',
          `feature set for crate '${crateDisplay(node)}' did not match exactly`,
          node,
          [lockEntry(ctx, node, 'crate'), at(['exact'], 'exact enabled here'), ...missing.map(([, j]) => at(['allow', j], 'allowed feature not present'))],
          notAllowed.map((f) => `'${f}' feature was enabled but not explicitly allowed`),
        ),
      );
    }
  } else {
    if (entry.allow.length > 0) {
      for (const feature of notAllowed) {
        if (entry.allow.some((a) => enablesFeature(node.features ?? {}, a, feature))) continue;
        out.push(
          bansDiagnostic('feature-not-explicitly-allowed', 'error', `feature '${feature}' for crate '${crateDisplay(node)}' was not explicitly allowed`, node, [
            lockEntry(ctx, node, 'crate'),
            at(['allow'], entry.reason ?? 'allowed features'),
          ]),
        );
      }
    }
    if (defaultLint === 'deny' && !entry.allow.includes('default') && !entry.deny.includes('default')) out.push(defaultEnabled());
    entry.deny.forEach((feature, j) => {
      if (!enabled.includes(feature)) return;
      out.push(
        bansDiagnostic('feature-banned', 'error', `feature '${feature}' for crate '${crateDisplay(node)}' is explicitly denied`, node, [
          lockEntry(ctx, node, 'crate'),
          at(['deny', j], entry.reason ?? 'feature denied here'),
        ]),
      );
    });
  }

  // Unknown names are only worth a warning when the entry otherwise passed.
  if (out.length === 0 && node.features !== undefined) {
    const declared = node.features;
    const check = (list: 'allow' | 'deny') =>
      entry[list].forEach((feature, j) => {
        if (Object.hasOwn(declared, feature)) return;
        out.push(
          bansDiagnostic('unknown-feature', 'warning', `found unknown feature '${feature}' for crate '${crateDisplay(node)}'`, node, [
            at([list, j], 'unknown feature'),
          ]),
        );
      });
    check('allow');
    check('deny');
  }
  return out;
}

/**
 * Whether enabling `parent` turns on `feature` through the crate's feature
 * table (plain feature names only; `dep:x` and `x/y` enable dependencies).
 */
function enablesFeature(table: Record<string, string[]>, parent: string, feature: string, seen = new Set<string>()): boolean {
  if (seen.has(parent)) return false;
  seen.add(parent);
  return (table[parent] ?? []).some((value) => {
    if (value.startsWith('dep:') || value.includes('/')) return false;
    return value === feature || enablesFeature(table, value, feature, seen);
  });
}
