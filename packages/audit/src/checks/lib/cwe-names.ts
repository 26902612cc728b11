/** Names of the CWE entries the checks cite; the engine copies them into each finding for reference labels. */
export const CWE_NAMES: Readonly<Record<number, string>> = {
  6: "J2EE Misconfiguration: Insufficient Session-ID Length",
  200: "Exposure of Sensitive Information to an Unauthorized Actor",
  307: "Improper Restriction of Excessive Authentication Attempts",
  315: "Cleartext Storage of Sensitive Information in a Cookie",
  319: "Cleartext Transmission of Sensitive Information",
  321: "Use of Hard-coded Cryptographic Key",
  326: "Inadequate Encryption Strength",
  327: "Use of a Broken or Risky Cryptographic Algorithm",
  330: "Use of Insufficiently Random Values",
  331: "Insufficient Entropy",
  340: "Generation of Predictable Numbers or Identifiers",
  347: "Improper Verification of Cryptographic Signature",
  384: "Session Fixation",
  523: "Unprotected Transport of Credentials",
  525: "Use of Web Browser Cache Containing Sensitive Information",
  539: "Use of Persistent Cookies Containing Sensitive Information",
  565: "Reliance on Cookies without Validation and Integrity Checking",
  598: "Use of GET Request Method With Sensitive Query Strings",
  602: "Client-Side Enforcement of Server-Side Security",
  613: "Insufficient Session Expiration",
  614: "Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
  668: "Exposure of Resource to Wrong Sphere",
  694: "Use of Multiple Resources with Duplicate Identifier",
  770: "Allocation of Resources Without Limits or Throttling",
  799: "Improper Control of Interaction Frequency",
  1004: "Sensitive Cookie Without 'HttpOnly' Flag",
  1275: "Sensitive Cookie with Improper SameSite Attribute",
};

/** The names of the given CWE ids that {@link CWE_NAMES} knows, keyed by the id as a string (a finding's `cweNames`). */
export function cweNamesOf(cwe: readonly number[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const n of cwe) {
    const name = CWE_NAMES[n];
    if (name !== undefined) names[String(n)] = name;
  }
  return names;
}
