import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgressLine } from '../../../src/advisories/sync/index.js';

const CLEAR = '\r\x1b[2K';

function recorder() {
  let time = 0;
  const writes: string[] = [];
  return { writes, clock: () => time, advance: (ms: number) => (time += ms), write: (t: string) => void writes.push(t) };
}

test('draws one line, throttled within a stage, and erases it when done', () => {
  const r = recorder();
  const line = createProgressLine(r.write, { clock: r.clock, throttleMs: 100, columns: 80 });
  line.update({ stage: 'receiving', progress: 1, processed: 10, total: 1000 });
  r.advance(50);
  line.update({ stage: 'receiving', progress: 2, processed: 20, total: 1000 }); // throttled
  r.advance(60);
  line.update({ stage: 'receiving', progress: 3, processed: 30, total: 1000 });
  line.update({ stage: 'resolving', progress: 0, processed: 0, total: 500 }); // new stage: drawn at once
  line.update({ stage: 'resolving', progress: 100, processed: 500, total: 500 }); // finished: drawn at once
  line.done();
  line.done();
  assert.deepEqual(r.writes, [
    `${CLEAR}advisory database: receiving 1% (10/1000)`,
    `${CLEAR}advisory database: receiving 3% (30/1000)`,
    `${CLEAR}advisory database: resolving 0% (0/500)`,
    `${CLEAR}advisory database: resolving 100% (500/500)`,
    CLEAR,
  ]);
});

test('never wraps: the text is cut to the terminal width', () => {
  const r = recorder();
  const line = createProgressLine(r.write, { clock: r.clock, columns: 30, label: 'db' });
  line.update({ stage: 'receiving', progress: 42, processed: 123456, total: 9999999 });
  assert.equal(r.writes[0], CLEAR + 'db: receiving 42% (123456/9999999)'.slice(0, 29));
});

test('done() without any drawing writes nothing', () => {
  const r = recorder();
  createProgressLine(r.write, { clock: r.clock }).done();
  assert.deepEqual(r.writes, []);
});
