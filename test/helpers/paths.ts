import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (tests run compiled from dist/test/...). */
export const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Absolute path of a file under fixtures/. */
export const fixture = (...parts: string[]): string => path.join(repoRoot, 'fixtures', ...parts);

/** The 13 corpus projects in fixtures/corpus. */
export const corpusProjects = [
  'alacritty', 'alacritty-2019', 'bat', 'cargo-deny', 'cargo-deny-2021', 'fd', 'helix',
  'nushell', 'ripgrep', 'rustup', 'tauri', 'uv', 'wasmtime',
] as const;

/** Head of fixtures/advisory-db.bundle (2026-08-21) and an older commit (2026-02-21). */
export const DB_HEAD = 'bf5c0d245a92671908518d7e765914d437954ed6';
export const DB_OLD = '9dad93ab565dedea29b49d673c8004da4fbc71d2';
