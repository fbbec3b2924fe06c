/** The advisories section's defaults that code outside the schema needs (no zod here). */
export const DEFAULT_DB_PATH = '$CARGO_HOME/advisory-dbs';
