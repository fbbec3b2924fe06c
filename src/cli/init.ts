/** `cargo-sentinel init`: write the commented deny.toml template, never over an existing file. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configError } from '../errors.js';
import { initTemplate } from '../policy/deny/template.js';
import { CheckExit } from './exit-codes.js';
import type { GlobalFlags } from './global-flags.js';
import type { Io } from './main.js';

export async function initCommand(global: GlobalFlags, io: Io): Promise<number> {
  const file = path.resolve(io.cwd, global.config ?? 'deny.toml');
  try {
    writeFileSync(file, initTemplate, { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw configError(`${file} already exists; remove it or pass --config with another path`);
    throw configError(`cannot write ${file}: ${code ?? String(e)}`);
  }
  io.stderr(`wrote a deny.toml template to ${file}\n`);
  return CheckExit.clean;
}
