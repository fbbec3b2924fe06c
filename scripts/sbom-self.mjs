// cargo-sentinel's own SBOM: CycloneDX 1.6 JSON of what `npm install cargo-sentinel`
// brings in, read from package-lock.json. The runtime dependencies only (the closure of
// package.json `dependencies`, never a devDependency), each with its version, purl,
// SHA-512 hash (the lockfile's integrity) and license (its installed package.json),
// and who depends on whom. Reproducible: the time is SOURCE_DATE_EPOCH when set, the
// serial number a name-based UUID of the content, every list sorted.
//
//   node scripts/sbom-self.mjs [--output FILE]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

function fail(message) {
  process.stderr.write(`sbom-self: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { output: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--output' || argv[i] === '-o') options.output = argv[++i] ?? fail(`${argv[i - 1]} needs a file`);
    else fail(`unknown argument ${argv[i]} (usage: node scripts/sbom-self.mjs [--output FILE])`);
  }
  return options;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Where Node finds `name` from the package at `from`: its own node_modules, then each one above. */
function resolveInLock(packages, from, name) {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
  }
}

/** Required edges: dependencies, optional dependencies that are installed, peers that are not optional. */
function requiredNames(entry) {
  const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, meta]) => meta.optional).map(([name]) => name));
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => ({ name, optional: optionalPeers.has(name) })),
  ];
}

/**
 * The runtime closure from the root's `dependencies`: lock keys (`node_modules/…`)
 * with the keys each one depends on. An optional peer is no reason to install a
 * package, but when the closure holds it anyway, the edge is real: the package uses it.
 */
function runtimeGraph(lock) {
  const packages = lock.packages ?? fail('package-lock.json has no `packages` (lockfileVersion 2 or 3 is needed)');
  const rootEntry = packages[''];
  const reached = new Set();
  const queue = [];
  const visit = (key) => {
    if (reached.has(key)) return;
    reached.add(key);
    queue.push(key);
  };
  for (const name of Object.keys(rootEntry.dependencies ?? {})) visit(resolveInLock(packages, '', name) ?? fail(`${name} is not in package-lock.json`));
  for (let i = 0; i < queue.length; i++) {
    for (const { name, optional } of requiredNames(packages[queue[i]])) {
      const key = resolveInLock(packages, queue[i], name);
      if (key === undefined && !optional) fail(`${queue[i]} needs ${name}, which package-lock.json does not hold`);
      if (key !== undefined && !optional) visit(key);
    }
  }
  const edges = new Map();
  for (const key of reached) {
    const targets = requiredNames(packages[key]).map(({ name }) => resolveInLock(packages, key, name)).filter((k) => k !== undefined && reached.has(k));
    edges.set(key, [...new Set(targets)]);
  }
  const rootTargets = Object.keys(rootEntry.dependencies ?? {}).map((name) => resolveInLock(packages, '', name));
  return { packages, reached, edges, rootTargets };
}

/** `node_modules/@scope/name` (possibly nested) -> `@scope/name`. */
const nameOf = (key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** A component named the way CycloneDX's npm tools name one: the scope is its `group`. */
function npmComponent(lib, type, name, version, extra = {}) {
  const [group, bare] = name.startsWith('@') ? name.split('/') : [undefined, name];
  return new lib.Models.Component(type, bare, { group, version, ...extra });
}

/** purl-spec: the npm scope is the namespace, its `@` percent-encoded. */
function purlOf(name, version) {
  const [scope, bare] = name.startsWith('@') ? name.split('/') : [undefined, name];
  const namespace = scope === undefined ? '' : `${encodeURIComponent(scope)}/`;
  return `pkg:npm/${namespace}${encodeURIComponent(bare)}@${encodeURIComponent(version)}`;
}

/** The SHA-512 digests of an SRI integrity string, as hex. */
function sha512Of(key, integrity) {
  const digests = (integrity ?? '')
    .split(/\s+/)
    .filter((part) => part.startsWith('sha512-'))
    .map((part) => Buffer.from(part.slice('sha512-'.length), 'base64').toString('hex'));
  if (digests.length === 0) fail(`${key} has no SHA-512 integrity in package-lock.json`);
  return digests[0];
}

/** The installed package.json, checked against the lockfile so a stale node_modules cannot pass for it. */
function installedManifest(key, version) {
  let manifest;
  try {
    manifest = readJson(path.join(root, key, 'package.json'));
  } catch {
    fail(`${key}/package.json cannot be read: run \`npm ci\` first`);
  }
  if (manifest.version !== version) fail(`${key} is ${manifest.version} on disk but ${version} in package-lock.json: run \`npm ci\` first`);
  return manifest;
}

/** `license` as package.json states it: an SPDX id, an expression, or (legacy) anything else, by name. */
function licenseOf(lib, manifest) {
  const { Models, SPDX } = lib;
  const text = typeof manifest.license === 'string' ? manifest.license : manifest.license?.type;
  if (typeof text !== 'string' || text === '') return undefined;
  if (SPDX.isSupportedSpdxId(text)) return new Models.SpdxLicense(text);
  if (/\s(AND|OR|WITH)\s/.test(text) || text.startsWith('(')) return new Models.LicenseExpression(text.replace(/^\((.*)\)$/, '$1'));
  return new Models.NamedLicense(text);
}

/** An RFC 9562 version 5 UUID of `content`, in cargo-sentinel's namespace (src/report/sbom/reproducible.ts). */
function nameBasedUuid(content) {
  const bytes = createHash('sha1').update(Buffer.from('6f1e0a52c4b94a3c9d7e2b8a51f3c0d9', 'hex')).update(content, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return bytes.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

function creationTime(env) {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return new Date();
  if (!/^\d{1,12}$/.test(raw.trim())) fail(`invalid SOURCE_DATE_EPOCH '${raw}': expected whole seconds since 1970`);
  return new Date(Number(raw.trim()) * 1000);
}

/**
 * The library's subpath entries, loaded one by one: its main entry would also
 * pull in the XML serializer, whose optional peers are not installed.
 */
async function loadLibrary() {
  const part = (name) => import(`@cyclonedx/cyclonedx-library/${name}`);
  const [Models, Enums, Spec, Serialize, SPDX] = await Promise.all(['Models', 'Enums', 'Spec', 'Serialize', 'SPDX'].map(part));
  const version = readJson(path.join(root, 'node_modules/@cyclonedx/cyclonedx-library/package.json')).version;
  return { Models, Enums, Spec, Serialize, SPDX, version };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const lib = await loadLibrary();
  const { Models, Enums } = lib;
  const self = readJson(path.join(root, 'package.json'));
  const { packages, reached, edges, rootTargets } = runtimeGraph(readJson(path.join(root, 'package-lock.json')));

  const bom = new Models.Bom();
  bom.metadata.timestamp = creationTime(process.env);
  bom.metadata.tools.components.add(npmComponent(lib, Enums.ComponentType.Library, '@cyclonedx/cyclonedx-library', lib.version));
  const selfComponent = npmComponent(lib, Enums.ComponentType.Application, self.name, self.version, { bomRef: purlOf(self.name, self.version) });
  selfComponent.purl = purlOf(self.name, self.version);
  const selfLicense = licenseOf(lib, self);
  if (selfLicense) selfComponent.licenses.add(selfLicense);
  bom.metadata.component = selfComponent;

  const components = new Map();
  for (const key of [...reached].sort()) {
    const entry = packages[key];
    const name = nameOf(key);
    const purl = purlOf(name, entry.version);
    const component = npmComponent(lib, Enums.ComponentType.Library, name, entry.version, { bomRef: purl, scope: Enums.ComponentScope.Required });
    component.purl = purl;
    component.hashes.set(Enums.HashAlgorithm['SHA-512'], sha512Of(key, entry.integrity));
    const license = licenseOf(lib, installedManifest(key, entry.version));
    if (license) component.licenses.add(license);
    components.set(key, component);
    bom.components.add(component);
  }
  for (const key of rootTargets) selfComponent.dependencies.add(components.get(key).bomRef);
  for (const [key, targets] of edges) for (const target of targets) components.get(key).dependencies.add(components.get(target).bomRef);

  const serializer = new lib.Serialize.JsonSerializer(new lib.Serialize.JSON.Normalize.Factory(lib.Spec.Spec1dot6));
  const render = () => `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
  bom.serialNumber = `urn:uuid:${nameBasedUuid(render())}`;
  const text = render();
  if (options.output === undefined) process.stdout.write(text);
  else writeFileSync(options.output, text);
}

await main();
