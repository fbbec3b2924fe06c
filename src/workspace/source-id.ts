/**
 * Cargo source ids as Cargo.lock writes them: `registry+URL`, `sparse+URL` and
 * `git+URL?branch=…#commit`. Path packages have no source at all; the other
 * kinds Cargo knows (`path+`, `local-registry+`, `directory+`) never reach a
 * lockfile, so meeting one means the file was not written by Cargo.
 */
import { inputError, type SourcePlace } from '../errors.js';
import type { SourceId } from './types.js';

const CRATES_IO_GIT_INDEX = 'https://github.com/rust-lang/crates.io-index';
const CRATES_IO_SPARSE_INDEX = 'https://index.crates.io';

type GitReference = Extract<SourceId, { kind: 'git' }>['reference'];

/**
 * The form two spellings of one URL share: no trailing slashes, no `.git`,
 * scheme and host in lower case (Cargo's canonical URL does the same for the
 * cases lockfiles contain).
 */
export function canonicalUrl(url: string): string {
  let u = url.replace(/\/+$/, '');
  if (u.endsWith('.git')) u = u.slice(0, -4).replace(/\/+$/, '');
  const authority = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)(.*)$/s.exec(u);
  return authority ? (authority[1] as string).toLowerCase() + (authority[2] as string) : u;
}

/**
 * Cargo reads query values with percent-decoding whatever the lockfile
 * version; V4 only started encoding them when writing. A value that is not
 * valid percent-encoding is kept as written, as Cargo's URL parser does.
 */
function decodeQueryValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parseGitReference(query: string): GitReference {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = decodeQueryValue(eq < 0 ? '' : pair.slice(eq + 1));
    // `ref=` is how old Cargo spelled a branch.
    if (key === 'branch' || key === 'ref') return { kind: 'branch', value };
    if (key === 'tag' || key === 'rev') return { kind: key, value };
  }
  // Cargo ignores query keys it does not know: the source then follows the default branch.
  return undefined;
}

const malformed = (raw: string, why: string, place?: SourcePlace) =>
  inputError(`malformed source \`${raw}\`: ${why}`, place);

function checkUrl(raw: string, url: string, place?: SourcePlace): void {
  if (url === '') throw malformed(raw, 'the URL is empty', place);
  if (/\s/.test(url)) throw malformed(raw, 'the URL contains white space', place);
}

/** Parses a `source` value of Cargo.lock (or the `(source)` part of a dependency reference). */
export function parseSourceId(raw: string, place?: SourcePlace): SourceId {
  const plus = raw.indexOf('+');
  const kind = plus < 0 ? '' : raw.slice(0, plus);
  const rest = raw.slice(plus + 1);
  switch (kind) {
    case 'registry':
    case 'sparse': {
      checkUrl(raw, rest, place);
      const canonical = canonicalUrl(rest);
      const isCratesIo = canonical === (kind === 'registry' ? CRATES_IO_GIT_INDEX : CRATES_IO_SPARSE_INDEX);
      return { kind, url: rest, isCratesIo, raw };
    }
    case 'git': {
      const hash = rest.indexOf('#');
      const beforeHash = hash < 0 ? rest : rest.slice(0, hash);
      const commit = hash < 0 ? undefined : rest.slice(hash + 1);
      const question = beforeHash.indexOf('?');
      const url = question < 0 ? beforeHash : beforeHash.slice(0, question);
      checkUrl(raw, url, place);
      if (commit === '') throw malformed(raw, 'the `#` is not followed by a commit', place);
      const reference = question < 0 ? undefined : parseGitReference(beforeHash.slice(question + 1));
      return { kind: 'git', url, reference, commit, isCratesIo: false, raw };
    }
    default:
      throw inputError(
        `unsupported source \`${raw}\` (Cargo.lock sources start with \`registry+\`, \`sparse+\` or \`git+\`)`,
        place,
      );
  }
}

/**
 * A key equal for two sources Cargo treats as the same one, commit included
 * (packages always carry theirs). Used to find duplicate packages.
 */
export function sourceKey(source: SourceId | undefined): string {
  if (source === undefined) return 'path';
  const base = `${source.kind}+${canonicalUrl(source.url)}`;
  if (source.kind !== 'git') return base;
  const ref = source.reference ? `?${source.reference.kind}=${source.reference.value}` : '';
  return `${base}${ref}#${source.commit ?? ''}`;
}

/**
 * Whether a dependency reference's source designates a package's source.
 * References never carry the `#commit` fragment, so commits are compared only
 * when both sides have one (as cargo-lock does).
 */
export function referencesSource(reference: SourceId, source: SourceId | undefined): boolean {
  if (source === undefined || reference.kind !== source.kind) return false;
  if (reference.raw === source.raw) return true;
  if (canonicalUrl(reference.url) !== canonicalUrl(source.url)) return false;
  if (reference.kind !== 'git' || source.kind !== 'git') return true;
  const a = reference.reference;
  const b = source.reference;
  if (a?.kind !== b?.kind || a?.value !== b?.value) return false;
  return reference.commit === undefined || source.commit === undefined || reference.commit === source.commit;
}
