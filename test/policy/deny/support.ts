import assert from 'node:assert/strict';
import type { LoadedDenyConfig } from '../../../src/policy/deny/load.js';
import { parseDenyConfig } from '../../../src/policy/deny/parse.js';
import { ConfigFileError } from '../../../src/policy/toml-config.js';
import type { Problem } from '../../../src/errors.js';

/** A fixed environment, so results do not depend on the machine running the tests. */
export const ENV = { env: { CARGO_HOME: '/opt/cargo', DBS: '/srv/dbs' }, home: '/home/tester' };

export const parse = (text: string): LoadedDenyConfig => parseDenyConfig(text, 'deny.toml', ENV);

/** `line:column message` for each problem, as a reader would check them. */
export const describe = (problems: readonly Problem[]): string[] =>
  problems.map((p) => `${p.place?.line ?? '-'}:${p.place?.column ?? '-'} ${p.message}`);

/** The error `text` fails with, which must list its problems. */
export function failure(text: string, file = 'deny.toml'): ConfigFileError {
  try {
    parseDenyConfig(text, file, ENV);
  } catch (e) {
    assert.ok(e instanceof ConfigFileError, `expected a ConfigFileError, got ${String(e)}`);
    assert.equal(e.kind, 'config');
    return e;
  }
  assert.fail('expected the config to be rejected');
}

/** The problems of a rejected config, described. */
export const problemsOf = (text: string): string[] => describe(failure(text).problems);
