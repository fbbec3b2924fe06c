/**
 * Reading cargo metadata output (a saved file or cargo's stdout) into the
 * unfiltered graph, tied to the workspace's Cargo.lock when there is one.
 * Kept apart from index.ts so zod loads only when metadata is read.
 */
import { readLockfile } from '../lockfile.js';
import { readTextFile } from '../read-text.js';
import { graphFromMetadata, lockfilePathFor } from './from-metadata.js';
import { parseJsonText } from './json-text.js';
import { validateMetadata, type CargoMetadata } from './metadata-schema.js';
import type { UnfilteredGraph } from './unfiltered.js';

/** Far above the metadata of the largest workspaces (tens of MiB). */
const MAX_METADATA_BYTES = 512 * 1024 * 1024;

export const parseMetadataText = (text: string, file: string): CargoMetadata => validateMetadata(parseJsonText(text, file), file);

export const readMetadataFile = (file: string): CargoMetadata => parseMetadataText(readTextFile(file, 'metadata file', MAX_METADATA_BYTES), file);

export async function graphFromMetadataWithLock(metadata: CargoMetadata, origin: UnfilteredGraph['origin'], file: string): Promise<UnfilteredGraph> {
  const lockfilePath = lockfilePathFor(metadata);
  const lockfile = lockfilePath === undefined ? undefined : await readLockfile(lockfilePath);
  return graphFromMetadata(metadata, lockfile, origin, file);
}
