/**
 * The shared SARIF builder on findings made from rustup's real Cargo.lock
 * (346 packages): GitHub's limits on results and bytes (the most severe kept,
 * a notification saying how many were left out), long texts cut with a note,
 * and fingerprints that follow the package, not the line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../helpers/paths.js';
import { GITHUB_LIMITS, renderSarif, truncate, type SarifFinding, type SarifLevel, type SarifRule } from '../../../src/report/sarif.js';
import { assertValidSarif, packageLines, parseSarif } from './helpers.js';

const root = fixture('corpus', 'rustup');
const lockfile = `${root}/Cargo.lock`;
const packages = [...packageLines(lockfile)];
const paths = { root, cwd: root };

const rule = (id: string, level: SarifLevel): SarifRule => ({
  id,
  shortDescription: `${id} short`,
  fullDescription: `${id} full`,
  help: { text: `${id} help`, markdown: `**${id}** help` },
  level,
  tags: ['supply-chain', 'bans'],
});

/** One finding per package: every 7th an error, every 7th after that a note, the rest warnings. */
function findings(): SarifFinding[] {
  return packages.map(([pkg, line], i) => {
    const level: SarifLevel = i % 7 === 0 ? 'error' : i % 7 === 1 ? 'note' : 'warning';
    return {
      rule: rule(`bans/${level}-rule`, level),
      level,
      message: `${pkg} is not allowed`,
      place: { file: lockfile, line, column: 1, length: 11 },
      related: [],
      identity: [`bans/${level}-rule`, pkg, 'registry+https://github.com/rust-lang/crates.io-index'],
      packageName: pkg,
    };
  });
}

const render = (f: SarifFinding[], limits = GITHUB_LIMITS) =>
  parseSarif(renderSarif({ face: 'check', paths, findings: f, exitCode: 2, exitCodeDescription: 'failed: bans' }, limits));

test('within the limits every finding is a result, at its real line', () => {
  const doc = render(findings());
  assertValidSarif(doc);
  const results = doc.runs[0]!.results;
  assert.equal(results.length, 346);
  assert.equal(results[0]!.locations[0]!.physicalLocation.region.startLine, packages[0]![1]);
  assert.equal(doc.runs[0]!.invocations[0]!.toolExecutionNotifications, undefined);
});

test('more results than a run may hold: the most severe are kept, in their order, and the rest counted', () => {
  const all = findings();
  const doc = render(all, { ...GITHUB_LIMITS, results: 100 });
  assertValidSarif(doc);
  const run = doc.runs[0]!;
  const errors = all.filter((f) => f.level === 'error').length;
  assert.equal(errors, 50);
  assert.equal(run.results.length, 100);
  assert.equal(run.results.filter((x) => x.level === 'error').length, errors);
  assert.equal(run.results.filter((x) => x.level === 'note').length, 0);
  // The kept results keep the lockfile's order.
  const lines = run.results.map((x) => x.locations[0]!.physicalLocation.region.startLine);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  assert.deepEqual(run.invocations[0]!.toolExecutionNotifications!.map((n) => n.message.text), [
    "246 of 346 results were left out to stay within GitHub's limits (100 results per run, 10485760 bytes per file); the most severe were kept. Run with another format to see them all.",
  ]);
  // Rules are those of the kept results only.
  assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ['bans/error-rule', 'bans/warning-rule']);
});

test('a file larger than allowed is cut down below the limit', () => {
  const text = renderSarif({ face: 'check', paths, findings: findings(), exitCode: 2, exitCodeDescription: 'failed: bans' }, { ...GITHUB_LIMITS, bytes: 100_000 });
  assert.ok(Buffer.byteLength(text) <= 100_000, String(Buffer.byteLength(text)));
  const doc = parseSarif(text);
  assertValidSarif(doc);
  const kept = doc.runs[0]!.results.length;
  assert.ok(kept > 50 && kept < 346, String(kept));
  assert.match(doc.runs[0]!.invocations[0]!.toolExecutionNotifications![0]!.message.text, new RegExp(`^${346 - kept} of 346 results were left out`));
});

test('long texts are cut with a note; tags are capped at 20', () => {
  const [first] = findings();
  const long = `${'openssl '.repeat(500)}end`;
  const doc = render([{ ...first!, message: long, rule: { ...first!.rule, tags: Array.from({ length: 30 }, (_, i) => `tag-${i}`) } }]);
  const text = doc.runs[0]!.results[0]!.message.text;
  assert.equal(text.length, 2_000);
  assert.equal(text, `${long.slice(0, 1_971)} … [2032 more characters cut]`);
  assert.equal(doc.runs[0]!.tool.driver.rules[0]!.properties.tags.length, 20);
});

test('truncate: short texts unchanged, never a split surrogate pair', () => {
  assert.equal(truncate('h2', 10), 'h2');
  const cut = truncate(`${'a'.repeat(40)}😀${'b'.repeat(40)}`, 60);
  assert.ok(cut.length <= 60);
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut), cut);
});

test('fingerprints follow the rule and package, not the line; repeats are numbered', () => {
  const [a, b] = findings();
  const print = (f: SarifFinding[]) => render(f).runs[0]!.results.map((x) => x.partialFingerprints['cargo-sentinel/v1']);
  const [original] = print([a!]);
  const [moved] = print([{ ...a!, place: { ...a!.place, line: a!.place.line + 120 } }]);
  assert.equal(moved, original);
  const [otherVersion] = print([{ ...a!, identity: [a!.identity[0]!, `${packages[0]![0]}-next`, a!.identity[2]!] }]);
  assert.notEqual(otherVersion, original);
  const twice = print([a!, b!, a!]);
  assert.equal(twice[0], original);
  assert.equal(twice[2], original!.replace(/:1$/, ':2'));
  assert.match(original!, /^[0-9a-f]{32}:1$/);
});
