/**
 * A value shaped like `sample` (same length and alphabet) but random: an
 * attacker-chosen session id that looks plausible to the server's format checks.
 */
export function lookalikeToken(sample: string | undefined): string {
  const shape = sample ?? "0123456789abcdef0123456789abcdef";
  const alphabets = [
    "0123456789abcdef",
    "0123456789ABCDEF",
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz0123456789",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",
  ];
  const seen = [...new Set(shape)].join("").replace(/[;,\s"\\]/g, "");
  const alphabet =
    alphabets.find((a) => [...shape].every((c) => a.includes(c))) ??
    (seen.length >= 2 ? seen : alphabets[0]) ??
    "0123456789abcdef";
  const bytes = crypto.getRandomValues(new Uint8Array(shape.length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
