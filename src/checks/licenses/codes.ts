/** The licenses check's diagnostic codes (cargo-deny's set, severities as in its code), plus `license-unknown`. */
import type { CodeInfo } from '../../diagnostics/types.js';

export const licensesCodes: readonly CodeInfo[] = [
  { code: 'rejected', source: 'licenses', defaultSeverity: 'error', description: "a crate's license expression is not satisfied by the allowed licenses" },
  { code: 'accepted', source: 'licenses', defaultSeverity: 'help', description: "a crate's license expression is satisfied by the allowed licenses" },
  { code: 'unlicensed', source: 'licenses', defaultSeverity: 'error', description: 'no license expression could be determined for a crate' },
  { code: 'skipped-private-workspace-crate', source: 'licenses', defaultSeverity: 'note', description: 'a private crate (unpublished, private registry or ignored source) was not checked' },
  { code: 'license-not-encountered', source: 'licenses', defaultSeverity: 'lint', lint: 'licenses.unused-allowed-license', description: 'an allowed license was not used by any crate' },
  { code: 'license-exception-not-encountered', source: 'licenses', defaultSeverity: 'lint', lint: 'licenses.unused-license-exception', description: 'a license exception was not used by any crate' },
  { code: 'missing-clarification-file', source: 'licenses', defaultSeverity: 'warning', description: 'a license file named by a clarification could not be read' },
  { code: 'parse-error', source: 'licenses', defaultSeverity: 'warning', description: "a crate's license field is not a strict SPDX expression (it is then read leniently)" },
  { code: 'empty-license-field', source: 'licenses', defaultSeverity: 'warning', description: "a crate's license field is present but empty" },
  { code: 'no-license-field', source: 'licenses', defaultSeverity: 'warning', description: "a crate's manifest has no license field" },
  { code: 'gather-failure', source: 'licenses', defaultSeverity: 'warning', description: "a crate's license files could not be turned into a license expression" },
  { code: 'license-unknown', source: 'licenses', defaultSeverity: 'warning', description: 'crates whose manifests could not be read were not checked (cargo-sentinel)' },
];
