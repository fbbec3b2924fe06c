/**
 * An advisory database a hostile remote could serve: a real git repository
 * holding four real advisories (copied from the shared checkout of
 * fixtures/advisory-db.bundle) and, beside them, every kind of file a loader
 * must not trust. What git cannot hold (a FIFO) or should not have to read (a
 * 1 GiB file, created sparse so it costs no disk) is added after the commit:
 * the loader reads the working tree, whatever HEAD says.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, sharedCheckout, tempDir } from '../helpers/git-fixtures.js';

export const REAL_ADVISORIES = [
  'crates/base64/RUSTSEC-2017-0004.md',
  'crates/hickory-proto/RUSTSEC-2026-0118.md',
  'crates/openssl/RUSTSEC-2023-0044.md',
  'rust/std/CVE-2015-20001.md',
];

/** Advisories generated for the one crate `flood`: RUSTSEC-2098-0001 to -5000, each affecting only 0.<n>.0. */
export const FLOOD = 5_000;
export const floodId = (n: number): string => `RUSTSEC-2098-${String(n).padStart(4, '0')}`;

export const ONE_GIB = 1024 ** 3;

export interface HostileDb {
  dir: string;
  /** Outside the checkout: valid advisories that must never be read. */
  outside: string;
}

/** A valid advisory for `pkg`, affecting every version unless `versions` says otherwise. */
export function advisoryText(id: string, pkg: string, options: { versions?: string; title?: string; description?: string } = {}): string {
  return [
    '```toml',
    '[advisory]',
    `id = "${id}"`,
    `package = "${pkg}"`,
    'date = "2099-01-01"',
    '',
    '[versions]',
    options.versions ?? 'patched = []',
    '```',
    '',
    `# ${options.title ?? `Advisory ${id}`}`,
    '',
    options.description ?? 'Generated for the hostile database tests.',
    '',
  ].join('\n');
}

function write(dir: string, rel: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
}

/** Deeply nested TOML in an otherwise valid advisory (the nesting sits in a table the format ignores). */
function nested(id: string, value: string): string {
  return advisoryText(id, 'base64').replace('```\n', `[nesting]\na = ${value}\n\`\`\`\n`);
}

export function hostileDatabase(): HostileDb {
  const dir = tempDir('sentinel-hostile-db-');
  const outside = tempDir('sentinel-outside-db-');
  const checkout = sharedCheckout();
  for (const rel of REAL_ADVISORIES) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(path.join(checkout, rel), path.join(dir, rel));
  }

  // Valid advisories outside the checkout, reachable only through links.
  write(outside, 'linked-file.md', advisoryText('RUSTSEC-2099-0003', 'base64'));
  write(outside, 'smuggled/RUSTSEC-2099-0004.md', advisoryText('RUSTSEC-2099-0004', 'smuggled'));
  write(outside, 'std/CVE-2099-0005.md', advisoryText('CVE-2099-0005', 'std'));
  symlinkSync('/etc/passwd', path.join(dir, 'crates/base64/RUSTSEC-2099-0002.md'));
  symlinkSync(path.join(outside, 'linked-file.md'), path.join(dir, 'crates/base64/RUSTSEC-2099-0003.md'));
  symlinkSync(path.join(outside, 'smuggled'), path.join(dir, 'crates/smuggled'));
  symlinkSync('/etc', path.join(dir, 'crates/etc'));
  symlinkSync(path.join(outside, 'std'), path.join(dir, 'rust/linked-std'));

  for (let n = 1; n <= FLOOD; n++) {
    write(dir, `crates/flood/${floodId(n)}.md`, advisoryText(floodId(n), 'flood', { versions: `patched = [">= 0.${n}.1"]\nunaffected = ["< 0.${n}.0"]` }));
  }

  write(dir, 'crates/base64/RUSTSEC-2099-0005.md', nested('RUSTSEC-2099-0005', `${'['.repeat(100_000)}${']'.repeat(100_000)}`));
  write(dir, 'crates/base64/RUSTSEC-2099-0006.md', nested('RUSTSEC-2099-0006', `${'{b='.repeat(60_000)}1${'}'.repeat(60_000)}`));

  // Ids: a second file with a real advisory's id, and a file claiming another crate's advisory from its own directory.
  const base64 = readFileSync(path.join(dir, 'crates/base64/RUSTSEC-2017-0004.md'), 'utf8');
  write(dir, 'crates/zzz-copycat/RUSTSEC-2017-0004.md', base64.replace('package = "base64"', 'package = "zzz-copycat"').replace('>= 0.5.2', '>= 99.0.0'));
  write(dir, 'crates/hijack/RUSTSEC-2099-0007.md', advisoryText('RUSTSEC-2099-0007', 'base64'));

  // Names and text that would drive a terminal.
  write(dir, 'crates/base64/RUSTSEC-2099-0008\u001b[2J\u001b[31m.md', advisoryText('RUSTSEC-2099-0008', 'base64'));
  write(dir, 'crates/base64/RUSTSEC-2099-0009\nwarning: the database is clean.md', advisoryText('RUSTSEC-2099-0009', 'base64'));
  write(dir, 'crates/base64/X\u001b[31m.md', advisoryText('X\\u001b[31m', 'base64'));
  write(dir, 'crates/base64/RUSTSEC-2099-0010.md', advisoryText('RUSTSEC-2099-0010', 'base64', { description: 'Fine so far\u001b]0;owned\u0007 and then.' }));
  write(dir, 'crates/base64/RUSTSEC-2099-0011.md', advisoryText('RUSTSEC-2099-0011', 'base64', { title: 'Harmless \u202eelif.exe' }));
  write(dir, 'crates/base64/RUSTSEC-2099-0012.md', advisoryText('RUSTSEC-2099-0012', 'base64').replace('date = "2099-01-01"', 'date = "2099-01-01"\nkeywords = ["\\u001b[2J"]'));
  write(dir, 'crates/\u001b]0;title\u0007evil/RUSTSEC-2099-0013.md', advisoryText('RUSTSEC-2099-0013', 'evil'));

  // Bytes that are not UTF-8: in a file, in a file name.
  const latin1 = Buffer.concat([Buffer.from(advisoryText('RUSTSEC-2099-0014', 'base64').replace('Generated', 'Caf')), Buffer.from([0xe9, 0xff])]);
  write(dir, 'crates/base64/RUSTSEC-2099-0014.md', latin1);
  writeFileSync(Buffer.from(path.join(dir, 'crates/base64/RUSTSEC-2099-\xff.md'), 'latin1'), advisoryText('RUSTSEC-2099-0015', 'base64'));

  git(['init', '--quiet', '--initial-branch=main'], dir);
  git(['add', '--all'], dir);
  execFileSync('git', ['-c', 'user.name=hostile', '-c', 'user.email=hostile@example.invalid', 'commit', '--quiet', '-m', 'hostile'], {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-08-20T00:00:00Z', GIT_COMMITTER_DATE: '2026-08-20T00:00:00Z' },
    stdio: 'ignore',
  });

  const huge = path.join(dir, 'crates/base64/RUSTSEC-2099-0001.md');
  writeFileSync(huge, '');
  truncateSync(huge, ONE_GIB);
  execFileSync('mkfifo', [path.join(dir, 'crates/base64/RUSTSEC-2099-0016.md')]);
  return { dir, outside };
}

const crate = (name: string, version: string): string =>
  `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`;

/** Cargo.lock v3 text with the packages the database speaks about, and `flood` at each of `floodVersions`. */
export function hostileLockText(floodVersions: readonly string[] = ['0.7.0', '0.1234.0', '0.4999.0', '0.5001.0']): string {
  return [
    '# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n',
    crate('base64', '0.5.0'),
    crate('evil', '1.0.0'),
    ...floodVersions.map((v) => crate('flood', v)),
    crate('hickory-proto', '0.25.0'),
    crate('smuggled', '1.0.0'),
    crate('zzz-copycat', '1.0.0'),
  ].join('\n');
}

export function hostileLockfile(): string {
  const file = path.join(tempDir('sentinel-hostile-lock-'), 'Cargo.lock');
  writeFileSync(file, hostileLockText());
  return file;
}
