/**
 * A scratch copy of the recorded logsift workspace (fixtures/workspaces) in a
 * temp dir, so tests can put links and secrets around it, with its recorded
 * cargo metadata pointed at the copy and edited as a test needs.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/git-fixtures.js';
import { materializedMetadata, workspaceDir } from '../workspace/metadata/fixtures.js';

export interface WorkspaceCopy {
  /** The workspace root (a copy of fixtures/workspaces/logsift). */
  ws: string;
  /** Beside the workspace, outside it. */
  outside: string;
}

/** The license text placed outside the workspace: were it read, a clarification with its hash would apply. */
export const SECRET_TEXT = 'MIT License\n\nThis text lives outside the workspace and must never be read.\n';

export function logsiftCopy(): WorkspaceCopy {
  const base = tempDir('sentinel-hostile-ws-');
  const ws = path.join(base, 'logsift');
  cpSync(workspaceDir('logsift'), ws, { recursive: true });
  const outside = path.join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret'), SECRET_TEXT);
  return { ws, outside };
}

interface MetadataPackage {
  name: string;
  license: string | null;
  license_file: string | null;
  manifest_path: string;
  targets: { kind: string[]; src_path: string }[];
}

/** The copy's metadata.json, with `edit` applied to the package named `name` (and any other it wants). */
export function editedMetadata(copy: WorkspaceCopy, edit: (find: (name: string) => MetadataPackage) => void = () => {}): string {
  const escape = (p: string): string => JSON.stringify(p).slice(1, -1);
  return materializedMetadata('logsift', 'metadata', (text) => {
    const metadata = JSON.parse(text.replaceAll(escape(workspaceDir('logsift')), escape(copy.ws))) as { packages: MetadataPackage[] };
    edit((name) => {
      const found = metadata.packages.find((p) => p.name === name);
      if (!found) throw new Error(`no package ${name} in logsift's metadata`);
      return found;
    });
    return JSON.stringify(metadata);
  });
}

/** A deny.toml in its own directory. */
export function denyToml(text: string): string {
  const file = path.join(tempDir('sentinel-hostile-policy-'), 'deny.toml');
  writeFileSync(file, text);
  return file;
}
