import { deflateSync, gzipSync } from "node:zlib";
import type { DecodedLayer } from "../../tokens/decode.js";

/**
 * Signs a payload for a signed layer: `sign` computes the signature for the
 * live request, `js` is the same computation as a JavaScript function
 * expression `(p)=>…` reading the key from `process.env.KEY`, for the
 * report's recipe (the key itself is never written).
 */
export interface Signer {
  sign(data: string): string;
  readonly js: string;
}

/** What happens to the signature of a signed layer when the state is rebuilt. */
export type SignatureMode =
  /** Keep the original signature: tests whether the server verifies it at all. */
  | { readonly mode: "keep" }
  /** No signature (JWT `alg: none`). */
  | { readonly mode: "empty" }
  /** A fresh signature from a recovered key. */
  | { readonly mode: "sign"; readonly signer: Signer };

/** Options of {@link rebuild}. */
export interface RebuildOptions {
  readonly signature: SignatureMode;
  /** Replaces the JOSE header of a JWT layer (e.g. `{"alg":"none","typ":"JWT"}`). */
  readonly jwtHeader?: Readonly<Record<string, unknown>>;
}

/** A rebuilt cookie value and a `node -e` program that builds the same value. */
export interface Rebuilt {
  /** The new cookie value, encoded exactly like the original. */
  readonly value: string;
  /** JavaScript for `node -e` that prints the value; placeholders stand in for the original signature. */
  readonly recipe: string;
}

/** The layers from the cookie value down to `layers[index]`, outermost first (follows `parent`). */
export function chainTo(layers: readonly DecodedLayer[], index: number): DecodedLayer[] {
  const chain: DecodedLayer[] = [];
  for (let at = index; at >= 0; ) {
    const layer = layers[at];
    if (layer === undefined) break;
    chain.unshift(layer);
    at = layer.parent;
  }
  return chain;
}

const ORIGINAL_SIGNATURE = "<ORIGINAL_SIGNATURE>";

function b64Kind(text: string): "base64" | "base64url" {
  if (/[-_]/.test(text)) return "base64url";
  if (/[+/]/.test(text) || text.endsWith("=") || text.length % 4 === 0) return "base64";
  // Unpadded and neither alphabet's marker: unpadded output is the base64url habit.
  return "base64url";
}

/**
 * True when the original base64 shows that padding was stripped (no `=` and
 * a length that needs it). A length that needs no padding proves nothing, and
 * most encoders pad, so padding is kept then.
 */
function unpadded(input: string): boolean {
  return !input.endsWith("=") && input.length % 4 !== 0;
}

interface Step {
  value: string;
  code: string;
}

function signature(mode: SignatureMode, original: string, data: string, dataVar: string): Step {
  switch (mode.mode) {
    case "keep":
      return { value: original, code: JSON.stringify(ORIGINAL_SIGNATURE) };
    case "empty":
      return { value: "", code: '""' };
    case "sign":
      return { value: mode.signer.sign(data), code: `(${mode.signer.js})(${dataVar})` };
  }
}

/**
 * Re-encodes new claims through every layer of `chain` (as `decodeValue`
 * found them), innermost first, so the server receives the same format it
 * issued. Signed layers get the signature `options.signature` says.
 * @returns `null` when a layer cannot be rebuilt (encrypted Rails cookies)
 */
export function rebuild(chain: readonly DecodedLayer[], claims: unknown, options: RebuildOptions): Rebuilt | null {
  let value = JSON.stringify(claims);
  const code: string[] = [`let v=JSON.stringify(${JSON.stringify(claims)});`];
  for (let i = chain.length - 1; i >= 0; i--) {
    const layer = chain[i] as DecodedLayer;
    const input = layer.input.trim();
    const charset = layer.printable ? "utf8" : "latin1";
    switch (layer.encoding) {
      case "json":
        if (input.startsWith("j:")) {
          value = `j:${value}`;
          code.push('v="j:"+v;');
        }
        break;
      case "url":
        value = encodeURIComponent(value);
        code.push("v=encodeURIComponent(v);");
        break;
      case "base64":
      case "base64url": {
        const kind = b64Kind(input);
        const strip = unpadded(input);
        let out = Buffer.from(value, charset).toString(kind);
        if (kind === "base64" && strip) out = out.replace(/=+$/, "");
        if (kind === "base64url" && input.endsWith("=")) out = out.padEnd(Math.ceil(out.length / 4) * 4, "=");
        value = out;
        code.push(
          `v=Buffer.from(v,"${charset}").toString("${kind}")${kind === "base64" && strip ? '.replace(/=+$/,"")' : ""}${kind === "base64url" && input.endsWith("=") ? '.padEnd(Math.ceil(v.length/4)*4,"=")' : ""};`,
        );
        break;
      }
      case "hex": {
        const upper = /[A-F]/.test(input) && !/[a-f]/.test(input);
        value = Buffer.from(value, charset).toString("hex");
        if (upper) value = value.toUpperCase();
        code.push(`v=Buffer.from(v,"${charset}").toString("hex")${upper ? ".toUpperCase()" : ""};`);
        break;
      }
      case "zlib": {
        const gzip = input.charCodeAt(0) === 0x1f && input.charCodeAt(1) === 0x8b;
        value = (gzip ? gzipSync(value) : deflateSync(value)).toString("latin1");
        code.push(`v=require("zlib").${gzip ? "gzipSync" : "deflateSync"}(v).toString("latin1");`);
        break;
      }
      case "jwt": {
        const [originalHeader = ""] = input.split(".");
        const header =
          options.jwtHeader === undefined
            ? originalHeader
            : Buffer.from(JSON.stringify(options.jwtHeader)).toString("base64url");
        const headerJson = options.jwtHeader ?? layer.header ?? {};
        const data = `${header}.${Buffer.from(value, "utf8").toString("base64url")}`;
        const sig = signature(options.signature, layer.signed?.signature ?? "", data, "p");
        value = `${data}.${sig.value}`;
        code.push(
          `{const p=Buffer.from(${JSON.stringify(JSON.stringify(headerJson))}).toString("base64url")+"."+Buffer.from(v).toString("base64url");v=p+"."+${sig.code};}`,
        );
        break;
      }
      case "cookie-signature": {
        const sig = signature(options.signature, layer.signed?.signature ?? "", value, "v");
        value = `s:${value}.${sig.value}`;
        code.push(`v="s:"+v+"."+${sig.code};`);
        break;
      }
      case "signed": {
        const signed = layer.signed;
        if (signed === undefined || signed.scheme === "rails-encrypted") return null;
        let payload: string;
        let payloadCode: string;
        let data: string;
        let dataCode: string;
        if (signed.scheme === "itsdangerous") {
          const compressed = signed.signingInput.startsWith(".");
          const stamp = signed.signingInput.split(".").at(-1) ?? "";
          payload = (compressed ? deflateSync(value) : Buffer.from(value, "utf8")).toString("base64url");
          payloadCode = compressed
            ? 'require("zlib").deflateSync(v).toString("base64url")'
            : 'Buffer.from(v).toString("base64url")';
          data = `${compressed ? "." : ""}${payload}.${stamp}`;
          dataCode = `${compressed ? '"."+' : ""}${payloadCode}+${JSON.stringify(`.${stamp}`)}`;
        } else if (layer.bytes !== undefined) {
          const kind = b64Kind(signed.signingInput);
          const strip = kind === "base64" && unpadded(signed.signingInput);
          payload = Buffer.from(value, "utf8").toString(kind);
          if (strip) payload = payload.replace(/=+$/, "");
          data = payload;
          dataCode = `Buffer.from(v).toString("${kind}")${strip ? '.replace(/=+$/,"")' : ""}`;
        } else {
          const escaped = signed.signingInput.includes("%");
          data = escaped ? encodeURIComponent(value) : value;
          dataCode = escaped ? "encodeURIComponent(v)" : "v";
        }
        const sig = signature(options.signature, signed.signature, data, "p");
        value = `${data}${signed.separator}${sig.value}`;
        code.push(`{const p=${dataCode};v=p+${JSON.stringify(signed.separator)}+${sig.code};}`);
        break;
      }
    }
  }
  code.push("console.log(v)");
  return { value, recipe: code.join("") };
}
