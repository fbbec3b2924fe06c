/**
 * The build check's diagnostic codes. cargo-deny reports these under bans;
 * we run them as a check of their own (source `build`, its own exit-code bit).
 * `build-script-not-allowed` keeps cargo-deny's name; the last two are ours.
 */
import type { CodeInfo } from '../../diagnostics/types.js';
import { codesOf } from '../bans/codes.js';

const code = codesOf('build');

export const buildCodes: readonly CodeInfo[] = [
  code('build-script-not-allowed', 'error', 'a crate has a build script and `bans.build.allow-build-scripts` does not list it'),
  code('checksum-match', 'help', 'a file matched the checksum a bypass gives for it'),
  code('checksum-mismatch', 'error', 'a file did not match the checksum a bypass gives for it (warning for a build script)'),
  code('denied-by-extension', 'error', 'a file of a compile-time crate matched `script-extensions` or a builtin glob'),
  code('detected-executable', 'lint', 'a native executable (ELF, PE, Mach-O; archives with include-archives) is in a compile-time crate', 'bans.build.executables'),
  code('detected-executable-script', 'lint', 'a shebang script is in a compile-time crate', 'bans.build.interpreted'),
  code('unable-to-check-path', 'error', "a compile-time crate's sources or one of their files could not be read"),
  code('path-bypassed', 'help', 'a file was allowed by a bypass `allow` path'),
  code('path-bypassed-by-glob', 'help', 'a file was allowed by a bypass `allow-globs` pattern'),
  code('features-enabled', 'note', "a build-script bypass did not apply because some of its `required-features` are enabled"),
  code('unmatched-bypass', 'warning', 'a `bans.build.bypass` entry matched no compile-time crate'),
  code('unmatched-path-bypass', 'warning', 'a bypass `allow` path was not found in its crate'),
  code('unmatched-glob', 'warning', 'a bypass `allow-globs` pattern matched no file'),
  code('non-root-path', 'error', "a path in a compile-time crate leads outside the crate's directory and was not checked"),
  code('non-utf8-path', 'warning', 'a file name in a compile-time crate is not UTF-8'),
  code('proc-macro-not-allowed', 'error', 'a crate is a proc-macro and `bans.build.allow-proc-macros` does not list it (cargo-sentinel)'),
  code('build-time-code', 'note', 'a crate runs code at compile time: a build script or a proc-macro (cargo-sentinel)'),
];
