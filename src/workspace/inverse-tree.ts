/**
 * cargo-audit's "Dependency tree": a package, then who depends on it,
 * recursively. As in cargo-lock's tree renderer, a package already printed
 * anywhere in this tree is printed again where it recurs but not expanded,
 * which keeps the output finite on cycles (dev-dependencies make those) and
 * shorter on diamonds.
 */
import type { DependencyGraph } from './types.js';

export interface InverseTreeOptions {
  /** Lines after which expansion stops and a final `…` line is added; wide trees can have tens of thousands. */
  maxLines?: number;
}

export const DEFAULT_MAX_TREE_LINES = 2000;

export function renderInverseTree(graph: DependencyGraph, id: string, options: InverseTreeOptions = {}): string[] {
  const maxLines = options.maxLines ?? DEFAULT_MAX_TREE_LINES;
  const lines: string[] = [];
  const printed = new Set<string>();
  let truncated = false;

  // `prefix` is the drawing inherited from the ancestors; iterative, so a deep chain cannot overflow the stack.
  const stack: Array<{ id: string; prefix: string; branch: string }> = [{ id, prefix: '', branch: '' }];
  while (stack.length > 0) {
    const node = stack.pop() as { id: string; prefix: string; branch: string };
    if (lines.length >= maxLines) {
      truncated = true;
      break;
    }
    const pkg = graph.lockfile.byId.get(node.id);
    if (!pkg) continue;
    lines.push(`${node.prefix}${node.branch}${pkg.name} ${pkg.version}`);
    if (printed.has(node.id)) continue;
    printed.add(node.id);
    const parents = graph.dependents.get(node.id) ?? [];
    const childPrefix = node.prefix + (node.branch === '├── ' ? '│   ' : node.branch === '' ? '' : '    ');
    // Pushed in reverse so they pop in order.
    for (let i = parents.length - 1; i >= 0; i--) {
      const last = i === parents.length - 1;
      stack.push({ id: parents[i] as string, prefix: childPrefix, branch: last ? '└── ' : '├── ' });
    }
  }
  if (truncated) lines.push('…');
  return lines;
}
