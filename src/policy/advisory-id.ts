/**
 * Advisory identifiers a user may write in an ignore list: the RustSec id or
 * one of its aliases. cargo-audit rejects ids it cannot parse; so do we, so a
 * typo is an error instead of an ignore that silently never applies.
 */
const ID_FORMS: readonly RegExp[] = [
  /^RUSTSEC-\d{4}-\d{4,}$/,
  /^CVE-\d{4}-\d{4,}$/,
  /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/,
  /^TALOS-\d{4}-\d{4,}$/,
];

export const isAdvisoryId = (id: string): boolean => ID_FORMS.some((re) => re.test(id));

export const ADVISORY_ID_HINT = 'expected an advisory id such as RUSTSEC-2023-0071, CVE-2023-1234 or GHSA-xxxx-xxxx-xxxx';
