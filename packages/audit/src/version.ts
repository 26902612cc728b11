/** The auditor's version, reported in `report.json` and SARIF. */
export const VERSION = "0.1.0";
