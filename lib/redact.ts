// Removes secrets from text before it is stored, logged or shown. Providers do echo keys in their
// errors ("Incorrect API key provided: sk-…"), in full or cut short, so a provider's words pass
// through here at the one place they become a message (lib/providers/failure.ts), and every log
// line passes through here again (lib/log.ts).
// Two nets: the secrets we know (a connection's key, and any run of 8+ key characters taken from
// it, which catches a key echoed in part), and anything shaped like a credential whoever it
// belongs to (Authorization values, sk-/gsk_ style keys, api_key=… pairs).

export const REDACTED = "[redacted]";

const KEY_CHARS = /[A-Za-z0-9_\-.~+/=]{8,}/g;

const CREDENTIAL_SHAPES: [RegExp, string][] = [
  // Authorization: Bearer …, Basic …
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  // Provider key formats: sk-…, sk-proj-…, sk-ant-…, gsk_…, and the sandbox's sk-sandbox-….
  [/\b(?:sk|pk|rk)[-_][A-Za-z0-9._-]{8,}/g, REDACTED],
  [/\bgsk_[A-Za-z0-9]{8,}/g, REDACTED],
  // ?key=… in a URL.
  [/([?&](?:key|api_key|token|access_token|sig|signature)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  // key=…, "api_key": "…", x-api-key: …, token: … keep their name, so the reader knows what was there.
  [/\b(x-api-key|api[_-]?key|access[_-]?token|secret|password|token)(["']?\s*[:=]\s*["']?)([^\s"',;&}]{6,})/gi, `$1$2${REDACTED}`],
];

/** `text` with every known secret, every run of 8+ characters of one, and every credential-shaped token replaced. */
export function redact(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join(REDACTED);
    // Part of a key (a provider that shows "sk-abc…xyz9" or cuts the key short).
    if (s.length >= 8) out = out.replace(KEY_CHARS, (run) => (s.includes(run) ? REDACTED : run));
  }
  for (const [shape, replacement] of CREDENTIAL_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** Every string inside a JSON-like value redacted (objects and arrays copied, other values kept). */
export function redactDeep<T>(value: T, secrets: readonly (string | null | undefined)[] = [], depth = 0): T {
  if (typeof value === "string") return redact(value, secrets) as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets, depth + 1)) as T;
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets, depth + 1);
  return out as T;
}
