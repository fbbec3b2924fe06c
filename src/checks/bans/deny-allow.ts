/**
 * `bans.deny` (with wrappers and use-instead), `bans.allow` and
 * `allow-workspace`, with cargo-deny's rules: a banned crate is let through
 * only when every package that depends on it directly is one of its
 * wrappers; a non-empty allow list rejects everything it does not match;
 * `allow-workspace` exempts workspace members from both lists.
 */
import type { Diagnostic } from '../../diagnostics/types.js';
import { specMatches } from '../../policy/package-spec.js';
import type { PackageNode } from '../../workspace/package-graph.js';
import type { BansDenyEntry } from './config.js';
import { bansDiagnostic, bansKey, listEntry, lockEntry, type BansContext } from './context.js';
import { directDependents } from '../../workspace/metadata/reachability.js';
import { crateDisplay } from './graph-queries.js';

export function checkDenyAndAllow(ctx: BansContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const usedWrappers = new Set<string>();
  const { config } = ctx;

  for (const node of ctx.packages) {
    if (config['allow-workspace'] && node.isWorkspaceMember) continue;
    config.deny.forEach((entry, i) => {
      // A deny-multiple-versions entry is no ban: the duplicate check reads it.
      if (entry['deny-multiple-versions'] || !specMatches(entry.spec, node.name, node.version)) return;
      out.push(...banDiagnostics(ctx, node, entry, i, usedWrappers));
    });
    if (config.allow.length > 0) out.push(...allowDiagnostics(ctx, node));
  }

  config.deny.forEach((entry, i) =>
    (entry.wrappers ?? []).forEach((wrapper, j) => {
      if (usedWrappers.has(`${i}:${j}`)) return;
      out.push(
        bansDiagnostic('unused-wrapper', 'warning', 'wrapper for banned crate was not encountered', undefined, [
          bansKey(ctx, ['deny', i, 'wrappers', j], `unmatched wrapper '${wrapper}'`, true),
        ]),
      );
    }),
  );
  return out;
}

function banDiagnostics(ctx: BansContext, node: PackageNode, entry: BansDenyEntry, i: number, usedWrappers: Set<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bannedHere = () => listEntry(ctx, 'deny', i, entry, 'banned here');
  const wrappers = entry.wrappers ?? [];
  let wrapped = wrappers.length > 0;
  if (wrapped) {
    // Every direct dependent is reported, not only the first that is no wrapper.
    for (const parent of directDependents(ctx.graph, node.id)) {
      const j = wrappers.indexOf(parent.name);
      if (j >= 0) {
        usedWrappers.add(`${i}:${j}`);
        out.push(
          bansDiagnostic('allowed-by-wrapper', 'note', `banned crate '${crateDisplay(node)}' allowed by wrapper '${crateDisplay(parent)}'`, node, [
            lockEntry(ctx, node, 'banned crate'),
            bannedHere(),
            bansKey(ctx, ['deny', i, 'wrappers', j], 'allowed wrapper'),
          ]),
        );
      } else {
        wrapped = false;
        out.push(
          bansDiagnostic(
            'unmatched-wrapper',
            'warning',
            `direct parent '${crateDisplay(parent)}' of banned crate '${crateDisplay(node)}' was not marked as a wrapper`,
            node,
            [lockEntry(ctx, node, 'banned crate'), lockEntry(ctx, parent, 'direct parent', false), bannedHere()],
          ),
        );
      }
    }
  }
  if (!wrapped) {
    const labels = [lockEntry(ctx, node, 'banned crate'), bannedHere()];
    const notes: string[] = [];
    const instead = entry['use-instead'];
    if (instead !== undefined) {
      labels.push(bansKey(ctx, ['deny', i, 'use-instead'], 'use instead'));
      notes.push(`use '${instead}' instead`);
    }
    out.push(bansDiagnostic('banned', 'error', `crate '${crateDisplay(node)}' is explicitly banned`, node, labels, notes));
  }
  return out;
}

function allowDiagnostics(ctx: BansContext, node: PackageNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  ctx.config.allow.forEach((entry, i) => {
    if (!specMatches(entry.spec, node.name, node.version)) return;
    out.push(
      bansDiagnostic('allowed', 'note', `crate '${crateDisplay(node)}' is explicitly allowed`, node, [
        lockEntry(ctx, node, 'allowed crate'),
        listEntry(ctx, 'allow', i, entry, 'allowed here'),
      ]),
    );
  });
  if (out.length > 0) return out;
  return [
    bansDiagnostic('not-allowed', 'error', `crate '${crateDisplay(node)}' is not explicitly allowed`, node, [
      lockEntry(ctx, node, 'not in `bans.allow`'),
      bansKey(ctx, ['allow'], 'allowed crates'),
    ]),
  ];
}
