/** Test-only: a `[bans]` section from deny.toml text, with its positions, as the loader gives them. */
import { z } from 'zod';
import { bansKeyHistory, bansSection, type BansConfig } from '../../../src/checks/bans/config.js';
import type { PolicyFile } from '../../../src/checks/labels.js';
import { loadTomlConfig } from '../../../src/policy/toml-config.js';

const root = z.strictObject({ bans: bansSection.prefault({}) });

export const DENY_TOML = '/policy/deny.toml';

export function bansPolicy(text: string): { config: BansConfig; policy: PolicyFile } {
  const loaded = loadTomlConfig(text, DENY_TOML, root, bansKeyHistory);
  return { config: loaded.value.bans, policy: { file: DENY_TOML, locations: loaded.locations } };
}
