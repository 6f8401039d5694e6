// What PostgreSQL cannot store, found before it is sent: a NUL character (U+0000), which a text
// column refuses (22021) and jsonb refuses even as the escape \u0000 (22P05), and an unpaired UTF-16
// surrogate (a lone \ud800-\udfff escape in JSON), which jsonb refuses (22P02) and a text column
// silently turns into U+FFFD. Anything a user sends that is stored as text or jsonb is checked with
// this first, so it becomes a message naming the place instead of "Something went wrong".
// Safe for the browser (the CSV mapping's schema uses it).

export type Unstorable = "nul" | "surrogate";

/** What in `s` cannot be stored, or null. */
export function unstorableIn(s: string): Unstorable | null {
  if (s.includes("\u0000")) return "nul";
  if (!s.isWellFormed()) return "surrogate";
  return null;
}

/** "contains a NUL character (\u0000), which cannot be stored. Remove it." and the like. */
export function unstorableMessage(what: Unstorable): string {
  return what === "nul"
    ? "contains a NUL character (\\u0000), which cannot be stored. Remove it."
    : "contains an unpaired surrogate (a lone \\ud800-\\udfff escape), which is not valid Unicode and cannot be stored. Fix or remove it.";
}

/**
 * The first string of a JSON value (an object's keys included) that cannot be stored, with its path
 * ("body.messages.0.content"; "" for the value itself); null when every one can.
 */
export function findUnstorable(value: unknown, path = ""): { path: string; what: Unstorable } | null {
  if (typeof value === "string") {
    const what = unstorableIn(value);
    return what ? { path, what } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    const inKey = unstorableIn(k);
    if (inKey) return { path: at, what: inKey };
    const found = findUnstorable(v, at);
    if (found) return found;
  }
  return null;
}

/** A text made storable for a message or a name: NUL shown as ␀, an unpaired surrogate as U+FFFD. */
export function storableText(s: string): string {
  return s.replaceAll("\u0000", "\u2400").toWellFormed();
}
