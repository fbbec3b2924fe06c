/**
 * Where a crate's file lives in a registry index: the same relative path in
 * the git index, in the sparse index's URL space and in cargo's `.cache` tree
 * (Cargo book, "Index Format").
 */
export function indexPath(name: string): string {
  const lower = name.toLowerCase();
  switch (lower.length) {
    case 0:
      throw new RangeError('a crate name cannot be empty');
    case 1:
      return `1/${lower}`;
    case 2:
      return `2/${lower}`;
    case 3:
      return `3/${lower.slice(0, 1)}/${lower}`;
    default:
      return `${lower.slice(0, 2)}/${lower.slice(2, 4)}/${lower}`;
  }
}
