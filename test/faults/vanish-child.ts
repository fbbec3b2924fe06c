/**
 * One CLI run (in this process, as bin/ would run it) during which the remote
 * vanishes: at git's first progress line, the remote directory is deleted or
 * renamed away and the git processes serving it (upload-pack, pack-objects)
 * are killed. A fetch's first progress line is the server counting objects,
 * some 400 ms before it sends any, so the transfer is cut before it starts.
 * Then the run either goes on (`then: 'continue'`) or the whole tool is killed
 * (`then: 'kill'`). Prints `{"code":…,"stdout":…,"stderr":…,"vanished":…}`.
 * Run without a request (as `node --test` does with every file under test/),
 * it does nothing.
 */
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { main } from '../../src/cli/main.js';

export interface VanishRequest {
  args: string[];
  cwd: string;
  remote: string;
  /** `delete`: rm -rf the remote; `rename`: move it to `<remote>.gone`. */
  how: 'delete' | 'rename';
  then: 'continue' | 'kill';
}

const raw = process.argv[2];
if (raw !== undefined) {
  const request = JSON.parse(raw) as VanishRequest;
  let stdout = '';
  let stderr = '';
  let vanished: { servers: number } | undefined;
  const code = await main(request.args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => {
      stderr += t;
      // The progress line is only drawn for a terminal; it starts with a line erase.
      if (vanished === undefined && t.includes('advisory database: ')) {
        vanished = vanish(request);
        if (request.then === 'kill') process.kill(-process.pid, 'SIGKILL');
      }
    },
    stdoutIsTty: false,
    stderrIsTty: true,
    env: process.env,
    cwd: request.cwd,
    now: () => new Date('2026-09-01T00:00:00Z'),
  });
  process.stdout.write(JSON.stringify({ code, stdout, stderr, vanished }));
}

function vanish(request: VanishRequest): { servers: number } {
  const servers = descendants(process.pid).filter((pid) => /upload-pack|pack-objects/.test(commandLine(pid)));
  for (const pid of servers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // finished already
    }
  }
  if (request.how === 'delete') rmSync(request.remote, { recursive: true, force: true });
  else renameSync(request.remote, `${request.remote}.gone`);
  return { servers: servers.length };
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
