/**
 * What a file is, from its first bytes: a native executable (ELF, PE,
 * Mach-O, or an `ar` archive), a shebang script (with its interpreter), or
 * anything else. The extension and the exec bit play no part, as in
 * cargo-deny, so the result is the same on every platform.
 */

export type NativeFormat = 'elf' | 'pe' | 'mach' | 'archive';

export type Sniffed = { kind: 'native'; format: NativeFormat } | { kind: 'script'; interpreter: string } | { kind: 'other' };

/** How many leading bytes `sniff` needs to tell a native executable. */
export const MAGIC_BYTES = 16;

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);

const MACH_MAGICS: readonly (readonly number[])[] = [
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe],
];

/** `\xCA\xFE\xBA\xBE` is both a fat Mach-O and a Java class file; a fat binary holds few architectures. */
function isFatMach(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, [0xca, 0xfe, 0xba, 0xbe]) || bytes.length < 8) return false;
  const count = ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
  return count > 0 && count < 45; // Java class versions start at 45
}

export function nativeFormat(head: Uint8Array): NativeFormat | undefined {
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return 'elf';
  if (startsWith(head, [0x4d, 0x5a])) return 'pe';
  if (MACH_MAGICS.some((m) => startsWith(head, m)) || isFatMach(head)) return 'mach';
  if (startsWith(head, [...Buffer.from('!<arch>\n')])) return 'archive';
  return undefined;
}

export const hasShebang = (head: Uint8Array, fileName: string): boolean =>
  // `#![attr]` opens many Rust files; it is no shebang.
  head[0] === 0x23 && head[1] === 0x21 && !(fileName.endsWith('.rs') && head[2] === 0x5b);

/**
 * The interpreter a shebang line names: the program after `env` (skipping its
 * options), else the basename of the path. `firstLine` excludes the newline.
 */
export function shebangInterpreter(firstLine: string): string {
  const words = firstLine.slice(2).trim().split(/\s+/).filter((w) => w !== '');
  const program = words[0] ?? '';
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (base === 'env') {
    const named = words.slice(1).find((w) => !w.startsWith('-') && !w.includes('='));
    if (named !== undefined) return named;
  }
  return base === '' ? firstLine.slice(2).trim() : base;
}
