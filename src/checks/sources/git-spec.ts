/** `required-git-spec` values, weakest first (no zod here: the check runs without a schema). */
export const GIT_SPECS = ['any', 'branch', 'tag', 'rev'] as const;
export type GitSpec = (typeof GIT_SPECS)[number];
