import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe as group, it } from 'node:test';
import type { z } from 'zod';
import { loadDenyConfig } from '../../../src/policy/deny/load.js';
import { parseDenyConfig } from '../../../src/policy/deny/parse.js';
import { denyConfigSchema } from '../../../src/policy/deny/schema.js';
import { initTemplate } from '../../../src/policy/deny/template.js';
import { parseTomlText } from '../../../src/policy/toml-config.js';
import { repoRoot } from '../../helpers/paths.js';
import { ENV } from './support.js';
import path from 'node:path';

const EXAMPLE = path.join(repoRoot, 'deny.example.toml');

/** Every key path the schema accepts (`[]` for array elements), found by walking the zod definitions. */
function schemaKeys(schema: z.core.$ZodType, prefix = '', out = new Set<string>()): Set<string> {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'object':
      for (const [key, inner] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
        const p = prefix === '' ? key : `${prefix}.${key}`;
        out.add(p);
        schemaKeys(inner, p, out);
      }
      break;
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
      schemaKeys(def.innerType as z.core.$ZodType, prefix, out);
      break;
    case 'pipe':
      schemaKeys(def.in as z.core.$ZodType, prefix, out);
      break;
    case 'union':
      for (const option of def.options as z.core.$ZodType[]) schemaKeys(option, prefix, out);
      break;
    case 'array':
      schemaKeys(def.element as z.core.$ZodType, `${prefix}[]`, out);
      break;
  }
  return out;
}

/** Every key path written in a parsed TOML document, in the same notation. */
function documentKeys(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => documentKeys(v, `${prefix}[]`, out));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value)) {
      const p = prefix === '' ? key : `${prefix}.${key}`;
      out.add(p);
      documentKeys(inner, p, out);
    }
  }
  return out;
}

group('deny.example.toml and the init template', () => {
  it('deny.example.toml loads without errors or warnings', async () => {
    const { config, warnings } = await loadDenyConfig(EXAMPLE, ENV);
    assert.deepEqual(warnings, []);
    assert.equal(config.sources['required-git-spec'], 'tag');
    assert.deepEqual(config.graph.targets[1], { triple: 'aarch64-apple-darwin', features: ['neon'] });
  });

  it('deny.example.toml writes every key the schema knows, each under a comment line', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const written = documentKeys(parseTomlText(text, EXAMPLE));
    // The deprecated `name`/`version` form of specs is left out on purpose.
    const deprecated = /\[\]\.(name|version)$/;
    const missing = [...schemaKeys(denyConfigSchema)].filter((k) => !written.has(k) && !deprecated.test(k));
    assert.deepEqual(missing, []);
    // Each key line (or table header) directly follows a comment.
    const lines = text.split('\n');
    const uncommented = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => /^(\[|[a-z-]+ =)/.test(line))
      .filter(({ i }) => !(lines[i - 1] ?? '').startsWith('#'))
      .map(({ line }) => line);
    assert.deepEqual(uncommented, []);
  });

  it('the init template loads without errors or warnings, with the usual settings', () => {
    const { config, warnings } = parseDenyConfig(initTemplate, 'deny.toml', ENV);
    assert.deepEqual(warnings, []);
    assert.equal(config.bans['multiple-versions'], 'warn');
    assert.equal(config.bans.wildcards, 'allow');
    assert.equal(config.bans['external-default-features'], 'allow');
    assert.equal(config.licenses['confidence-threshold'], 0.8);
    assert.deepEqual(config.sources['allow-registry'].map((a) => a.text), ['https://github.com/rust-lang/crates.io-index']);
    assert.equal(config.sources['required-git-spec'], undefined);
    assert.deepEqual(config.advisories.ignore, []);
  });

  it('every commented-out example line of the init template is valid too', () => {
    // Uncomment `#key = …`, `#[table]` and `#"…"`/`#{ … }` list elements, then load.
    const uncommented = initTemplate.replace(/^(\s*)#(?=[a-z"{[])/gm, '$1');
    const { config, warnings } = parseDenyConfig(uncommented, 'deny.toml', ENV);
    assert.deepEqual(warnings, []);
    assert.equal(config.sources['required-git-spec'], 'rev');
    assert.deepEqual(config.advisories.ignore.map((i) => (i.kind === 'advisory' ? i.id : i.spec.text)), [
      'RUSTSEC-0000-0000',
      'GHSA-xxxx-xxxx-xxxx',
      'a-yanked-crate@0.1.1',
    ]);
    assert.equal(config.licenses.clarify[0]?.spec.name, 'ring');
  });
});
