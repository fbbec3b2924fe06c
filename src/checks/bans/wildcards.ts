/**
 * `*` version requirements in the manifests of workspace and path crates
 * (registry and git crates are not ours to fix). Cargo reads a path or git
 * dependency without a version as `*`, so those count too, unless
 * `allow-wildcard-paths` lets them through: in a private (`publish = false`)
 * crate, or as dev-dependencies, since crates.io refuses them elsewhere.
 */
import type { Diagnostic, Label } from '../../diagnostics/types.js';
import { severityOfLint } from '../../policy/levels.js';
import type { DeclaredDependency, PackageNode } from '../../workspace/package-graph.js';
import { bansDiagnostic, lockEntry, type BansContext } from './context.js';

const PATHS_NOTE = '. allow-wildcard-paths is enabled, but does not apply to public crates as crates.io disallows path dependencies.';

export function checkWildcards(ctx: BansContext): Diagnostic[] {
  const level = ctx.config.wildcards;
  if (level === 'allow') return [];
  const allowPaths = ctx.config['allow-wildcard-paths'];
  const out: Diagnostic[] = [];
  for (const node of ctx.packages) {
    if (node.source !== undefined || node.dependencies === undefined) continue;
    const isPrivate = Array.isArray(node.publish) && node.publish.length === 0;
    const wildcards = node.dependencies.filter((dep) => isWildcard(dep) && !(allowPaths && isAllowedPath(dep, isPrivate)));
    if (wildcards.length === 0) continue;
    const n = wildcards.length;
    out.push(
      bansDiagnostic(
        'wildcard',
        severityOfLint(level),
        `found ${n} wildcard dependenc${n === 1 ? 'y' : 'ies'} for crate '${node.name}'${allowPaths ? PATHS_NOTE : ''}`,
        node,
        wildcards.map((dep) => manifestLabel(ctx, node, dep)).sort((a, b) => a.line - b.line),
      ),
    );
  }
  return out;
}

const isPathOrGit = (dep: DeclaredDependency): boolean => dep.path !== undefined || dep.git !== undefined;

const isWildcard = (dep: DeclaredDependency): boolean => dep.req === '*' || (dep.req === undefined && isPathOrGit(dep));

const isAllowedPath = (dep: DeclaredDependency, isPrivate: boolean): boolean => isPathOrGit(dep) && (isPrivate || dep.kind === 'dev');

function manifestLabel(ctx: BansContext, node: PackageNode, dep: DeclaredDependency): Label {
  const file = dep.manifestPath ?? node.manifestPath;
  if (file === undefined) return lockEntry(ctx, node, `wildcard crate entry '${dep.name}'`);
  return { file, line: dep.line ?? 1, column: 1, length: 0, message: 'wildcard crate entry', primary: true };
}
