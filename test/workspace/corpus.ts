/** Facts about the corpus projects, from fixtures/corpus/MANIFEST.json. */
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/paths.js';

export interface CorpusFacts {
  name: string;
  lockfile_version: number;
  packages: number;
  sources: Record<string, number>;
  git_sources: string[];
  names_with_several_versions: number;
  workspace: boolean;
  workspace_members_listed: string[];
  implicit_members_via_path_deps: string[];
  cargo_toml_files: number;
}

export const corpusFacts: CorpusFacts[] = JSON.parse(readFileSync(fixture('corpus', 'MANIFEST.json'), 'utf8')) as CorpusFacts[];

export const lockfileOf = (project: string): string => fixture('corpus', project, 'Cargo.lock');
