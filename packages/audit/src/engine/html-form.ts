import { Tokenizer } from "htmlparser2";

/** One form field as the page declares it (attribute values with entities decoded). */
export interface FormField {
  /** The `type` attribute, lower case (`text` when absent). */
  readonly type: string;
  readonly name: string;
  readonly value: string;
}

/** One `<form>` of a page and the `<input>` fields it owns. */
export interface HtmlForm {
  /** The `action` attribute as written (entities decoded), or `undefined`. */
  readonly action: string | undefined;
  readonly fields: readonly FormField[];
}

/** What {@link scanForms} found. */
export interface FormScan {
  /** Forms in document order. */
  readonly forms: readonly HtmlForm[];
  /** Named inputs outside any form. */
  readonly orphans: readonly FormField[];
}

type TagHandler = (name: string, attributes: ReadonlyMap<string, string>) => void;

/**
 * Feeds `html` through htmlparser2's tokenizer — a single-pass state
 * machine, so the work is linear in the page size whatever the markup
 * (unclosed, nested or repeated tags). htmlparser2's tree-building `Parser`
 * is not used: it keeps its element stack with `Array#unshift`, which is
 * quadratic on deeply nested pages.
 */
function tokenize(
  html: string,
  handlers: { open?: TagHandler; close?: (name: string) => void; text?: (text: string) => void },
): void {
  let tag = "";
  let attributes = new Map<string, string>();
  let attribute = "";
  let value = "";
  const open = (): void => {
    handlers.open?.(tag, attributes);
    attributes = new Map();
  };
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname(start, end) {
        tag = html.slice(start, end).toLowerCase();
        attributes = new Map();
      },
      onattribname(start, end) {
        attribute = html.slice(start, end).toLowerCase();
        value = "";
      },
      onattribdata(start, end) {
        value += html.slice(start, end);
      },
      onattribentity(codepoint) {
        value += String.fromCodePoint(codepoint);
      },
      onattribend() {
        // HTML keeps the first of duplicated attributes.
        if (!attributes.has(attribute)) attributes.set(attribute, value);
      },
      onopentagend: open,
      onselfclosingtag: open,
      onclosetag(start, end) {
        handlers.close?.(html.slice(start, end).toLowerCase());
      },
      ontext(start, end) {
        handlers.text?.(html.slice(start, end));
      },
      ontextentity(codepoint) {
        handlers.text?.(String.fromCodePoint(codepoint));
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
}

/**
 * The forms of a page and their `<input>` fields, in one linear pass. As in
 * a browser, a `<form>` start tag inside an open form is ignored (forms do
 * not nest), so an unclosed form owns every field up to `</form>` or the end.
 */
export function scanForms(html: string): FormScan {
  const forms: { action: string | undefined; fields: FormField[] }[] = [];
  const orphans: FormField[] = [];
  let current: { action: string | undefined; fields: FormField[] } | null = null;
  tokenize(html, {
    open(name, attributes) {
      if (name === "form") {
        if (current !== null) return;
        current = { action: attributes.get("action"), fields: [] };
        forms.push(current);
        return;
      }
      if (name !== "input") return;
      const field = attributes.get("name");
      if (field === undefined) return;
      const entry = {
        type: (attributes.get("type") ?? "text").toLowerCase(),
        name: field,
        value: attributes.get("value") ?? "",
      };
      (current?.fields ?? orphans).push(entry);
    },
    close(name) {
      if (name === "form") current = null;
    },
  });
  return { forms, orphans };
}

/**
 * Hidden inputs of the form that posts to `action` (or of the first form,
 * or of the whole page when it has no form), for copying CSRF tokens into
 * an automated login (SPEC §2.2 `csrf: "auto"`). Linear in the page size.
 */
export function hiddenInputs(html: string, action: string): Record<string, string> {
  const { forms, orphans } = scanForms(html);
  const target =
    forms.find((f) => f.action !== undefined && (f.action === action || f.action.split(/[?#]/)[0]?.endsWith(action))) ??
    forms[0];
  // A hostile page may name a field `__proto__`: keep it an ordinary key.
  const out: Record<string, string> = Object.create(null);
  for (const field of target?.fields ?? orphans) if (field.type === "hidden") out[field.name] = field.value;
  return out;
}

/** Elements whose content is not shown as text. */
const INVISIBLE = new Set(["script", "style", "template", "noscript"]);

/**
 * The text a reader sees on a page (tags, scripts and styles removed,
 * entities decoded, whitespace collapsed), in one linear pass.
 */
export function visibleText(html: string): string {
  const parts: string[] = [];
  let hidden: string | null = null;
  tokenize(html, {
    open(name) {
      if (hidden === null && INVISIBLE.has(name)) hidden = name;
      else if (hidden === null) parts.push(" ");
    },
    close(name) {
      if (name === hidden) hidden = null;
      parts.push(" ");
    },
    text(text) {
      if (hidden === null) parts.push(text);
    },
  });
  return parts.join("").replace(/\s+/g, " ").trim();
}
