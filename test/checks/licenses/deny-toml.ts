/**
 * Test-only: a `[licenses]` section loaded the way the deny.toml loader does
 * (zod schema, positions, removed keys), without the rest of deny.toml's
 * schema, which belongs to src/policy.
 */
import { z } from 'zod';
import { licensesKeyHistory, licensesSection, type LicensesConfig } from '../../../src/checks/licenses/config.js';
import type { PolicyFile } from '../../../src/checks/labels.js';
import { loadTomlConfig } from '../../../src/policy/toml-config.js';

const denyToml = z.strictObject({ licenses: licensesSection.prefault({}) });

export function loadLicenses(text: string, file = 'deny.toml'): { config: LicensesConfig; policy: PolicyFile } {
  const loaded = loadTomlConfig(text, file, denyToml, licensesKeyHistory);
  return { config: loaded.value.licenses, policy: { file, locations: loaded.locations } };
}
