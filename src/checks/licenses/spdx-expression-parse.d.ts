/** Types for `spdx-expression-parse` (it ships none): the AST it returns. */
declare module 'spdx-expression-parse' {
  type SpdxLicenseNode = { license: string; plus?: true; exception?: string };
  type SpdxConjunctionNode = { left: SpdxNode; conjunction: 'and' | 'or'; right: SpdxNode };
  type SpdxNode = SpdxLicenseNode | SpdxConjunctionNode;
  /** Throws an Error on any syntax error or unknown id. */
  function parse(source: string): SpdxNode;
  export = parse;
}
