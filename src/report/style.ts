/**
 * Colour for terminal output. chalk decides how to write a colour; this module
 * decides whether to, from the flag, NO_COLOR, CARGO_TERM_COLOR and whether the
 * stream is a terminal. Loaded only when colour is actually on, so JSON runs do
 * not pay for it.
 */
import type { ColorChoice } from '../audit/settings.js';

export interface Style {
  bold(s: string): string;
  red(s: string): string;
  boldRed(s: string): string;
  yellow(s: string): string;
  boldYellow(s: string): string;
  green(s: string): string;
  boldGreen(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
}

const identity = (s: string): string => s;

export const plainStyle: Style = {
  bold: identity,
  red: identity,
  boldRed: identity,
  yellow: identity,
  boldYellow: identity,
  green: identity,
  boldGreen: identity,
  cyan: identity,
  dim: identity,
};

export function wantsColor(choice: ColorChoice, isTty: boolean, env: NodeJS.ProcessEnv): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  // https://no-color.org: any non-empty value turns colour off in auto mode.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}

export async function makeStyle(enabled: boolean): Promise<Style> {
  if (!enabled) return plainStyle;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return {
    bold: (s) => c.bold(s),
    red: (s) => c.red(s),
    boldRed: (s) => c.bold.red(s),
    yellow: (s) => c.yellow(s),
    boldYellow: (s) => c.bold.yellow(s),
    green: (s) => c.green(s),
    boldGreen: (s) => c.bold.green(s),
    cyan: (s) => c.cyan(s),
    dim: (s) => c.dim(s),
  };
}
