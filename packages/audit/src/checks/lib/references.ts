/**
 * Reference URLs the catalogue entries of several checks cite: CWE pages,
 * OWASP cheat sheets, ASVS 5.0 chapters, testing-guide chapters.
 */

/** URL of a CWE entry. */
export function cweUrl(id: number): string {
  return `https://cwe.mitre.org/data/definitions/${id}.html`;
}

export const CS_SESSION = "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html";
export const CS_JWT = "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_Cheat_Sheet.html";
export const CS_TLS = "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html";
export const CS_HSTS = "https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html";
export const CS_SECRETS = "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html";
const ASVS = "https://github.com/OWASP/ASVS/blob/v5.0.0/5.0/en/";
export const ASVS_V2 = `${ASVS}0x11-V2-Validation-and-Business-Logic.md`;
export const ASVS_V3 = `${ASVS}0x12-V3-Web-Frontend-Security.md`;
export const ASVS_V7 = `${ASVS}0x16-V7-Session-Management.md`;
export const ASVS_V9 = `${ASVS}0x18-V9-Self-contained-Tokens.md`;
export const ASVS_V11 = `${ASVS}0x20-V11-Cryptography.md`;
export const ASVS_V12 = `${ASVS}0x21-V12-Secure-Communication.md`;
export const ASVS_V13 = `${ASVS}0x22-V13-Configuration.md`;
export const ASVS_V14 = `${ASVS}0x23-V14-Data-Protection.md`;
const WSTG = "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/";
export const WSTG_SCHEMA = `${WSTG}06-Session_Management_Testing/01-Testing_for_Session_Management_Schema`;
export const WSTG_COOKIES = `${WSTG}06-Session_Management_Testing/02-Testing_for_Cookies_Attributes`;
export const WSTG_FIXATION = `${WSTG}06-Session_Management_Testing/03-Testing_for_Session_Fixation`;
export const WSTG_EXPOSED = `${WSTG}06-Session_Management_Testing/04-Testing_for_Exposed_Session_Variables`;
export const WSTG_LOGOUT = `${WSTG}06-Session_Management_Testing/06-Testing_for_Logout_Functionality`;
export const WSTG_TIMEOUT = `${WSTG}06-Session_Management_Testing/07-Testing_Session_Timeout`;
export const WSTG_JWT = `${WSTG}06-Session_Management_Testing/10-Testing_JSON_Web_Tokens`;
export const MDN_SET_COOKIE = "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie";
export const PHP_SESSION_SECURITY = "https://www.php.net/manual/en/session.security.ini.php";
export const EXPRESS_SESSION = "https://github.com/expressjs/session#options";

/** The CWE pages of `cwe`, the OWASP Session Management Cheat Sheet, then `more`. */
export function refs(cwe: readonly number[], ...more: string[]): readonly string[] {
  return [...cwe.map(cweUrl), CS_SESSION, ...more];
}
