/**
 * FNV-1a, 32 bits, as hex: names cache files after a path or a build. A name,
 * never a check (nothing trusts a match of it), so a fast hash will do, and it
 * spares start-up the crypto module.
 */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
