/**
 * One sync in its own process, driven by the sync tests (kills and races).
 * Run without a request (as `node --test` does with every file under test/),
 * it does nothing.
 */
import { syncDatabase } from '../../../src/advisories/sync/index.js';
import type { ChildRequest } from './support.js';

const raw = process.argv[2];
if (raw !== undefined) {
  const request = JSON.parse(raw) as ChildRequest;
  try {
    const result = await syncDatabase({
      url: request.url,
      dir: request.dir,
      fetch: request.fetch,
      now: new Date(request.now),
      lockTimeoutMs: 60_000,
      log: (message) => process.stderr.write(`${message}\n`),
      onProgress: request.killDuringClone
        ? () => {
            // A progress event means git is still cloning into the staging
            // directory: a deterministic "power cut" of node and git together.
            process.kill(-process.pid, 'SIGKILL');
          }
        : undefined,
    });
    process.stdout.write(JSON.stringify(result));
  } catch (error) {
    const e = error as { kind?: string; message: string };
    process.stdout.write(JSON.stringify({ error: { kind: e.kind, message: e.message } }));
    process.exitCode = 1;
  }
}
