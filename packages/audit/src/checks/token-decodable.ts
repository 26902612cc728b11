import type { ReadableReport } from "../tokens/detectors/readable.js";
import type { Facts } from "../tokens/facts.js";
import type { TokenVerdict } from "../tokens/index.js";
import { fix, sessionguardFix } from "./lib/fixes.js";
import { ASVS_V14, refs, WSTG_SCHEMA } from "./lib/references.js";
import { defineTokenCheck, tokenVerdict } from "./lib/token-check.js";

const ID = "token-decodable";

/** `token-decodable`: the token or session cookie carries readable data. */
export const tokenDecodable = defineTokenCheck({
  id: ID,
  catalogue: {
    title: "Readable data in the session token",
    severity: "medium",
    cwe: [315, 200],
    asvs: ["14.3.3"],
    description:
      "The session token or session cookie decodes (base64, hex, JSON or JWT claims) to readable data such as user ids, roles, e-mail addresses or timestamps. The cookie carries application state instead of an opaque random reference to server-side data.",
    impact:
      "Anyone who sees the cookie — the user, browser extensions, proxies, logs — learns the embedded personal or authorisation data. Structured content also tells an attacker which fields to tamper with and, when a timestamp or user id is part of the token, how to predict or forge it.",
    likelihood:
      "Decoding needs no skill: the cookie is visible in the browser's developer tools and standard decoders reveal the content instantly. Whether the exposure leads to a compromise depends on what is embedded and on whether the server verifies its integrity (see `state-tampering`).",
    recommendation:
      "Keep session data on the server and put only an opaque, random token in the cookie. If client-side state is unavoidable, encrypt and authenticate it (AES-GCM under a server-held key) and never include personal data or authorisation decisions.",
    fixes: [
      fix(
        "express-session",
        `
// Before: app.use(cookieSession({ keys })) — the cookie is base64 JSON anyone can read.
// After: data stays server-side; the cookie holds only a signed random id.
import session from "express-session";

app.use(session({
  secret: process.env.SESSION_SECRET,
  store, // e.g. connect-redis or connect-pg-simple
  resave: false,
  saveUninitialized: false,
}));
req.session.userId = user.id; // stored on the server, not in the cookie`,
      ),
      fix(
        "php",
        `
// Before: setcookie('user', base64_encode(json_encode(['id' => $id, 'role' => $role])));
// After: PHP's session handler keeps the data on the server; the cookie is an opaque id.
session_start();
$_SESSION['user_id'] = $id;
$_SESSION['role'] = $role;`,
      ),
      sessionguardFix(`
app.post("/preferences", async (req, res) => {
  req.session["role"] = "editor"; // sealed server-side with AES-256-GCM; the cookie is a 43-char random token
  res.redirect("/account");
});`),
    ],
    references: refs([315, 200], ASVS_V14, WSTG_SCHEMA),
    retest: "`token-decodable` passes: no readable structure or claims are found in the session cookie.",
    headline: "the session cookie exposes user data that anyone holding it can read",
    action: "keeping session data on the server behind an opaque token",
  },
  judge: decodableVerdict,
});

function decodableVerdict(f: Facts): TokenVerdict {
  const r: ReadableReport = f.readable;
  if (f.n === 0) return tokenVerdict(ID, "inconclusive", "no tokens to decode", "firm", []);
  if (r.readable > 0 && r.readable >= 0.5 * r.checked) {
    const fields = r.fields.map((x) => `${x.path} (${x.kind})`);
    const evidence = [`${r.readable} of ${r.checked} tokens examined decode to readable data`];
    if (r.chain) evidence.push(`decoding: ${r.chain}`);
    if (fields.length > 0) evidence.push(`sensitive fields: ${fields.join(", ")}`);
    if (r.keys.length > 0) evidence.push(`keys: ${r.keys.join(", ")}`);
    return tokenVerdict(
      ID,
      "vulnerable",
      `readable: ${r.chain && r.chain !== "plain text" ? `the tokens decode (${r.chain}) to ${r.content ?? "readable data"}` : `the tokens carry ${r.content ?? "readable data"} in plain text`}${fields.length > 0 ? ` with ${fields.join(", ")}` : ""}`,
      "firm",
      evidence,
      {
        variant: "readable",
        args: {
          decoding: r.chain ?? "plain text",
          fields: fields.join(", "),
          readable: r.readable,
          checked: r.checked,
        },
      },
    );
  }
  return tokenVerdict(
    ID,
    "passed",
    `no readable data in the first ${r.checked} tokens (tried URL-decoding, base64, base64url, hex, JSON, JWT and signed-cookie wrappers)`,
    "firm",
    r.readable > 0 ? [`${r.readable} of ${r.checked} tokens decode to readable text`] : [],
  );
}
