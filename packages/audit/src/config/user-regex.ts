import { RE2JS } from "re2js";

/**
 * A regular expression from the configuration (`authCheck.loggedIn`,
 * `authCheck.loggedOut`), run by RE2 (the `re2js` port): matching time is
 * linear in the length of the response, so a catastrophic pattern such as
 * `(a+)+$` cannot hold the audit. JavaScript spellings that RE2 writes
 * differently (`\uFFFF`, `(?<name>…)`) are translated first.
 */
export class UserRegex {
  readonly source: string;
  readonly #compiled: RE2JS;

  private constructor(source: string, compiled: RE2JS) {
    this.source = source;
    this.#compiled = compiled;
  }

  /**
   * Compiles a configured pattern (case-sensitive; `^`/`$` anchor the whole
   * body, as a JavaScript `RegExp` without flags; `(?i)` makes it case-insensitive).
   * @throws UnsupportedRegexError when the pattern is not valid RE2 syntax, with the reason and what to write instead
   */
  static compile(source: string): UserRegex {
    // Before translating: the translation would silently turn `\k<name>` into the letter k.
    const unsupported = jsOnlyConstruct(source);
    if (unsupported !== null) {
      throw new UnsupportedRegexError(
        source,
        `the regular expression ${quotePattern(source)} uses ${unsupported.what}, which the linear-time matcher (RE2 syntax) does not support: ${unsupported.instead}`,
      );
    }
    try {
      return new UserRegex(source, RE2JS.compile(RE2JS.translateRegExp(source)));
    } catch (error) {
      const detail = error instanceof Error ? error.message.replace(/^error parsing regexp:\s*/, "") : "invalid syntax";
      throw new UnsupportedRegexError(
        source,
        `the regular expression ${quotePattern(source)} is not valid RE2 syntax (${detail.slice(0, 120)}): see https://github.com/google/re2/wiki/Syntax — plain text with \`\\\` before special characters always works`,
      );
    }
  }

  /** Whether the pattern matches anywhere in `text` (like `RegExp#test`), in time linear in `text`. */
  test(text: string): boolean {
    return this.#compiled.test(text);
  }
}

/** A configured pattern that RE2 cannot run; `message` names the pattern (shortened) and the fix. */
export class UnsupportedRegexError extends Error {
  /** The offending pattern as configured. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(message);
    this.name = "UnsupportedRegexError";
    this.source = source;
  }
}

/** Longest part of a pattern quoted in a message: a pasted page fragment must not flood the terminal. */
const QUOTED_MAX = 60;

/** The pattern for a message: JSON-quoted and cut at {@link QUOTED_MAX} characters. */
export function quotePattern(source: string): string {
  return JSON.stringify(source.length > QUOTED_MAX ? `${source.slice(0, QUOTED_MAX)}…` : source);
}

/** A JavaScript-only construct and the RE2 way to say the same thing. */
interface JsOnly {
  readonly what: string;
  readonly instead: string;
}

const LOOKBEHIND: JsOnly = {
  what: "a lookbehind ((?<= or (?<!)",
  instead: "match the preceding text as part of the pattern, e.g. `Hello, alice` instead of `(?<=Hello, )alice`",
};
const LOOKAHEAD: JsOnly = {
  what: "a lookahead ((?= or (?!)",
  instead: "match the following text as part of the pattern, e.g. `alice</b>` instead of `alice(?=</b>)`",
};
const BACKREFERENCE: JsOnly = {
  what: "a backreference (\\1 or \\k<name>)",
  instead: "write the repeated text out, e.g. `(alice) alice` instead of `(alice) \\1`",
};
const POSSESSIVE: JsOnly = {
  what: "a possessive or doubled quantifier (such as `a++`)",
  instead: "use a single quantifier (`a+`)",
};

/**
 * The first construct of `source` that only a backtracking engine has, in
 * one pass that skips escaped characters and character classes (`\(?=` and
 * `[(?=]` are plain text).
 */
function jsOnlyConstruct(source: string): JsOnly | null {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      const next = source[i + 1] ?? "";
      if (!inClass && (/[1-9]/.test(next) || (next === "k" && source[i + 2] === "<"))) return BACKREFERENCE;
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
    } else if (c === "(" && source[i + 1] === "?") {
      const kind = source.slice(i + 2, i + 4);
      if (kind === "<=" || kind === "<!") return LOOKBEHIND;
      if (kind[0] === "=" || kind[0] === "!") return LOOKAHEAD;
    } else if ((c === "+" || c === "*" || c === "?") && source[i + 1] === "+") {
      return POSSESSIVE;
    }
  }
  return null;
}
