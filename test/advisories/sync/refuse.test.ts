import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { syncDatabase } from '../../../src/advisories/sync/index.js';
import { isSentinelError } from '../../../src/errors.js';
import { NOW, freshDbDir, scratchDir } from './support.js';

const marker = path.join(scratchDir(), 'pwned');

const refused = [
  `ext::sh -c touch% ${marker}`,
  'ext::sh -c touch% /tmp/pwned',
  'fd::3',
  'fd::0,1/x',
  'EXT::sh -c id',
  '--upload-pack=x',
  `--upload-pack=touch ${marker}`,
  '-oProxyCommand=x:repo',
  '',
  '   ',
  'https://example.com/adb\n--upload-pack=x',
  'ssh://-oProxyCommand=touch%20pwned/repo',
  'git@-oProxyCommand=x:repo',
  'foo://example.com/advisory-db',
];

for (const url of refused) {
  test(`refuses ${JSON.stringify(url)} before touching git or the disk`, async () => {
    const { root, dir } = freshDbDir();
    for (const fetch of [true, false]) {
      await assert.rejects(syncDatabase({ url, dir, fetch, now: NOW }), (e: unknown) => {
        assert.ok(isSentinelError(e));
        assert.equal(e.kind, 'config');
        assert.match(e.message, /^refusing advisory database URL /);
        return true;
      });
    }
    assert.deepEqual(readdirSync(root), []);
    assert.ok(!existsSync(marker));
  });
}
