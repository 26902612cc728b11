/** What `sessionguard check` needs installed beside the auditor (its parsers are optional peers). */
export const PARSERS_HINT =
  "`sessionguard check` needs the parsers, optional peers of the auditor: install them with " +
  "`npm install @typescript-eslint/typescript-estree @typescript-eslint/visitor-keys typescript php-parser`";
