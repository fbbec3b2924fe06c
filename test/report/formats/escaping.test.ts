/**
 * Escaping for GitHub workflow commands (data: `%`, CR, LF; properties also
 * `:` and `,`) and for markdown table cells (`|`, newlines, HTML), exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../src/diagnostics/types.js';
import { diagnosticAnnotation, escapeData, escapeProperty, workflowCommand } from '../../../src/report/github.js';
import { cell } from '../../../src/report/markdown.js';

test('workflow command data: %, CR and LF are escaped, : and , are not', () => {
  assert.equal(escapeData('100% sure\r\nnext: a, b'), '100%25 sure%0D%0Anext: a, b');
  // `%` first, so an escape already in the text is not decoded by GitHub.
  assert.equal(escapeData('%0A'), '%250A');
});

test('workflow command properties: also : and ,', () => {
  assert.equal(escapeProperty('licenses/rejected: a, b'), 'licenses/rejected%3A a%2C b');
  assert.equal(escapeProperty('50%\n'), '50%25%0A');
  // A Rust path in a title must not end the properties; in the message it may stay.
  assert.equal(escapeProperty('X509NameBuilder::build'), 'X509NameBuilder%3A%3Abuild');
  assert.equal(escapeData('X509NameBuilder::build'), 'X509NameBuilder::build');
});

test('a whole command: file names and titles with : and , stay one property each', () => {
  assert.equal(
    workflowCommand({ level: 'error', file: 'crates/a,b:c/Cargo.toml', line: 26, col: 12, title: 'rejected: a,b@1.0.0', message: 'GPL-3.0: 100% rejected,\nsee deny.toml' }),
    '::error file=crates/a%2Cb%3Ac/Cargo.toml,line=26,col=12,title=rejected%3A a%2Cb@1.0.0::GPL-3.0: 100%25 rejected,%0Asee deny.toml\n',
  );
  assert.equal(workflowCommand({ level: 'notice', title: 't', message: 'm' }), '::notice title=t::m\n');
});

test('a diagnostic becomes an annotation at its repository-relative label, notes in the message', () => {
  const d: Diagnostic = {
    source: 'licenses',
    code: 'rejected',
    severity: 'error',
    message: 'failed to satisfy license requirements',
    labels: [
      { file: '/ws/crates/odd,name:dir/Cargo.toml', line: 7, column: 11, length: 9, message: 'rejected: license is not explicitly allowed', primary: false },
      { file: '/elsewhere/Cargo.lock', line: 40, column: 1, length: 11, message: 'failed to satisfy license requirements', primary: true },
    ],
    notes: ['license expression `GPL-3.0` (100% copyleft)'],
    package: { id: 'odd@1.0.0', name: 'odd', version: '1.0.0', source: undefined },
  };
  const a = diagnosticAnnotation(d, { root: '/ws', cwd: '/ws' });
  // The primary label is outside the checkout, so the first label inside it is used.
  assert.deepEqual(a, {
    level: 'error',
    file: 'crates/odd,name:dir/Cargo.toml',
    line: 7,
    col: 11,
    title: 'rejected: odd@1.0.0',
    message: 'failed to satisfy license requirements\n/elsewhere/Cargo.lock:40: failed to satisfy license requirements\nlicense expression `GPL-3.0` (100% copyleft)',
  });
  assert.equal(
    workflowCommand(a),
    '::error file=crates/odd%2Cname%3Adir/Cargo.toml,line=7,col=11,title=rejected%3A odd@1.0.0::failed to satisfy license requirements%0A/elsewhere/Cargo.lock:40: failed to satisfy license requirements%0Alicense expression `GPL-3.0` (100%25 copyleft)\n',
  );
  // Notes and help become notices; a diagnostic with no label in the checkout has no file.
  const outside = diagnosticAnnotation({ ...d, severity: 'note', labels: [d.labels[1]!] }, { root: '/ws', cwd: '/ws' });
  assert.equal(workflowCommand(outside).slice(0, 40), '::notice title=rejected%3A odd@1.0.0::fa');
});

test('markdown cells: pipes, newlines and HTML escaped; code spans keep their text', () => {
  assert.equal(cell('a | b\nc'), 'a \\| b<br>c');
  assert.equal(cell('Vec<u8> & friends'), 'Vec&lt;u8&gt; &amp; friends');
  assert.equal(cell('use `a | b<T>` here'), 'use `a \\| b<T>` here');
  assert.equal(cell('`multi\nline`'), '`multi line`');
  assert.equal(cell('Upgrade to >=0.4.16 (patched)'), 'Upgrade to &gt;=0.4.16 (patched)');
});
