/**
 * The one place that starts git. Every call gets the same hardening: no
 * command-executing transports, no repository redirection through inherited
 * GIT_DIR-style variables, no credential prompts, and a bound on how long a
 * silent git process may live.
 */
import path from 'node:path';
import type { SimpleGitOptions, SimpleGitProgressEvent } from 'simple-git';


export interface SyncProgress {
  /** git's stage, lower-cased first word: `receiving`, `resolving`, `updating`, … */
  stage: string;
  /** Percent of the stage, 0–100. */
  progress: number;
  processed: number;
  total: number;
}

export interface GitCallOptions {
  /** Kill git when it has printed nothing for this long. */
  timeoutMs: number;
  onProgress?: ((event: SyncProgress) => void) | undefined;
  /** Forbid every transport: a guarantee that an offline read cannot reach the network. */
  offline?: boolean;
}

export type GitFailureReason = 'failed' | 'timeout' | 'git-missing' | 'refused';

/** A git command that did not succeed; callers turn it into a SentinelError with context. */
export class GitCommandError extends Error {
  constructor(
    readonly reason: GitFailureReason,
    /** The line of git's output a person needs, without the `fatal: ` prefix. */
    readonly summary: string,
    /** Everything git printed, for pattern checks. */
    readonly output: string,
  ) {
    super(summary);
    this.name = 'GitCommandError';
  }
}

// Applied on every invocation rather than trusted to the user's git config.
const HARDENING = ['protocol.ext.allow=never', 'protocol.fd.allow=never', 'gc.autoDetach=false', 'maintenance.autoDetach=false'];

// Inherited from a git hook or alias, these would point our commands at the
// user's repository instead of the database (a `reset --hard` there loses work).
const REDIRECTING = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_SHALLOW_FILE', 'GIT_REPLACE_REF_BASE', 'GIT_QUARANTINE_PATH',
];

// Editors, pagers and diff tools play no part in clone/fetch/reset; simple-git
// refuses to pass them, so they are left out rather than allowed.
const IRRELEVANT = ['EDITOR', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'PAGER', 'GIT_PAGER', 'GIT_EXTERNAL_DIFF', 'PREFIX', 'GIT_TEMPLATE_DIR'];

type UnsafeFlags = NonNullable<SimpleGitOptions['unsafe']>;
type UnsafeCategory = Exclude<keyof UnsafeFlags, 'allowUnsafeCustomBinary'>;

// Variables that do matter for reaching a remote (ssh keys, askpass, proxies,
// CI-provided config). They come from the user's own environment, trusted like
// their ~/.gitconfig, so simple-git's check is relaxed for exactly the variables
// present. Its checks on command arguments, where the untrusted URL goes, stay on.
const TRANSPORT_VARIABLES: Record<string, UnsafeCategory> = {
  GIT_SSH: 'allowUnsafeSshCommand',
  GIT_SSH_COMMAND: 'allowUnsafeSshCommand',
  GIT_ASKPASS: 'allowUnsafeAskPass',
  SSH_ASKPASS: 'allowUnsafeAskPass',
  GIT_PROXY_COMMAND: 'allowUnsafeGitProxy',
  GIT_CONFIG: 'allowUnsafeConfigPaths',
  GIT_CONFIG_GLOBAL: 'allowUnsafeConfigPaths',
  GIT_CONFIG_SYSTEM: 'allowUnsafeConfigPaths',
  GIT_EXEC_PATH: 'allowUnsafeConfigPaths',
  GIT_CONFIG_COUNT: 'allowUnsafeConfigEnvCount',
};

export interface GitEnvironment {
  env: Record<string, string>;
  unsafe: UnsafeFlags;
}

export function gitEnvironment(base: NodeJS.ProcessEnv): GitEnvironment {
  const env: Record<string, string> = {};
  const dropped = new Set([...REDIRECTING, ...IRRELEVANT]);
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !dropped.has(key.toUpperCase())) env[key] = value;
  }
  // A prompt on /dev/tty would hang a CI job until the timeout.
  env['GIT_TERMINAL_PROMPT'] ??= '0';
  // English output, because failures are summarised by looking for git's wording.
  env['LC_ALL'] = 'C';
  // Writing `-c protocol.ext.allow=never` trips simple-git's guard against
  // protocol overrides, although it only narrows what git may do.
  const unsafe: UnsafeFlags = { allowUnsafeProtocolOverride: true };
  for (const key of Object.keys(env)) {
    const category = TRANSPORT_VARIABLES[key.toUpperCase()];
    if (category) unsafe[category] = true;
  }
  return { env, unsafe };
}

/** Runs `git <args>` in `cwd` and returns its standard output. */
export async function runGit(cwd: string, args: string[], environment: GitEnvironment, options: GitCallOptions): Promise<string> {
  const { onProgress } = options;
  // simple-git appends --progress at the very end, which would land after our
  // `--` and be read as a path; put it right after the subcommand instead.
  const argv = onProgress && !args.includes('--progress') ? [...args.slice(0, 1), '--progress', ...args.slice(1)] : args;
  // Loaded on the first git call (the loader caches it): an offline run served from caches never needs it.
  const { simpleGit, GitPluginError } = await import('simple-git');
  try {
    const git = simpleGit({
      baseDir: cwd,
      maxConcurrentProcesses: 1,
      config: options.offline ? [...HARDENING, 'protocol.allow=never'] : HARDENING,
      unsafe: environment.unsafe,
      timeout: { block: options.timeoutMs },
      ...(onProgress ? { progress: (e: SimpleGitProgressEvent) => onProgress(toProgress(e)) } : {}),
    }).env({
      ...environment.env,
      // Never let discovery climb out of the directory we name: in a corrupt
      // database it would find an enclosing repository (a dotfiles $HOME, say).
      GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(cwd)),
    });
    return await git.raw(argv);
  } catch (error) {
    throw classify(error, options.timeoutMs, GitPluginError);
  }
}

const toProgress = (e: SimpleGitProgressEvent): SyncProgress => ({
  stage: e.stage,
  progress: e.progress,
  processed: e.processed,
  total: e.total,
});

function classify(error: unknown, timeoutMs: number, GitPluginError: (typeof import('simple-git'))['GitPluginError']): GitCommandError {
  const output = error instanceof Error ? error.message : String(error);
  if (error instanceof GitPluginError && error.plugin === 'timeout') {
    return new GitCommandError('timeout', `git printed nothing for ${timeoutMs / 1000} s and was stopped`, output);
  }
  if (error instanceof GitPluginError && error.plugin === 'unsafe') {
    return new GitCommandError('refused', `simple-git refused to run git: ${output}`, output);
  }
  if (/\bspawn \S+ ENOENT\b/.test(output)) {
    return new GitCommandError('git-missing', 'git was not found on PATH', output);
  }
  return new GitCommandError('failed', summarise(output), output);
}

/**
 * git's first `fatal:`/`error:` line (progress and `Cloning into…` chatter skipped),
 * which is the line that names the actual problem.
 */
export function summarise(output: string): string {
  const lines = output
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const important = lines.find((l) => /^(fatal|error):/i.test(l));
  const chosen = important ?? lines.find((l) => !/^(Cloning into|warning:|remote:)/i.test(l)) ?? lines[0] ?? 'git failed without a message';
  const text = chosen.replace(/^(fatal|error):\s*/i, '');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
