import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `cargo-sentinel/<version>`, the version read from our package.json. The
 * file is found by walking up because this module runs both from `src/` and
 * from a build output directory at a different depth.
 */
export function defaultUserAgent(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'cargo-sentinel' && typeof manifest.version === 'string') return `cargo-sentinel/${manifest.version}`;
    } catch {
      // No package.json here; keep walking up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'cargo-sentinel';
    dir = parent;
  }
}
