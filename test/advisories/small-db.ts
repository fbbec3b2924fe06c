/**
 * A database of three real advisories (two crates, one rust/), copied from the
 * shared checkout into a fresh temp dir, for tests that damage or cache it.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sharedCheckout, tempDir } from '../helpers/git-fixtures.js';

export const SMALL_DB_FILES = ['crates/base64/RUSTSEC-2017-0004.md', 'crates/hickory-proto/RUSTSEC-2026-0118.md', 'rust/std/CVE-2015-20001.md'];

export function smallDatabase(): string {
  const dir = tempDir('sentinel-db-');
  for (const rel of SMALL_DB_FILES) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(path.join(sharedCheckout(), rel), path.join(dir, rel));
  }
  return dir;
}
