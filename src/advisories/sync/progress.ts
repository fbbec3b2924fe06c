/**
 * One self-overwriting status line for git's clone/fetch progress on a TTY
 * stderr. No library: progress-bar packages bring timers, colour and layout
 * machinery for what is a single line redrawn a few times a second, and the
 * caller still decides when to show it (the CLI only for a TTY and non-JSON output).
 */

export interface ProgressEvent {
  stage: string;
  progress: number;
  processed?: number;
  total?: number;
}

export interface ProgressLine {
  update(event: ProgressEvent): void;
  /** Erases the line, so the next output starts on a clean line. */
  done(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

export function createProgressLine(
  write: (text: string) => void,
  options: { label?: string; columns?: number; throttleMs?: number; clock?: () => number } = {},
): ProgressLine {
  const label = options.label ?? 'advisory database';
  const width = Math.max(20, (options.columns ?? process.stderr.columns ?? 80) - 1);
  const throttleMs = options.throttleMs ?? 100;
  const clock = options.clock ?? Date.now;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastStage = '';
  let visible = false;
  return {
    update(event) {
      const now = clock();
      // A new or finished stage is always drawn, so the line never lags behind git.
      if (now - lastDraw < throttleMs && event.stage === lastStage && event.progress < 100) return;
      lastDraw = now;
      lastStage = event.stage;
      const counts = event.total ? ` (${event.processed ?? 0}/${event.total})` : '';
      write(CLEAR_LINE + `${label}: ${event.stage} ${event.progress}%${counts}`.slice(0, width));
      visible = true;
    },
    done() {
      if (visible) write(CLEAR_LINE);
      visible = false;
    },
  };
}
