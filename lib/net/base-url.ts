// The shape a provider's base URL must have, checked in the browser (the connection form's schema)
// and again on the server (lib/net/outbound.ts, which also checks the address). No server-only
// imports here.

/** What is wrong with the form of a base URL a person typed, or null. */
export function baseUrlSyntaxProblem(input: string): string | null {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return "Enter an http(s) URL, like https://api.example.com/v1.";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return "Enter an http(s) URL, like https://api.example.com/v1.";
  // The authority is what lies between "//" and the next "/": an "@" there is user:password@.
  if (u.username || u.password || (input.split("//")[1] ?? "").split("/")[0].includes("@")) {
    return "Put the key in the key field, not in the URL (no user:password@).";
  }
  // Even an empty "?" or "#": with one, a user would choose the path and query of every call.
  if (input.includes("?") || input.includes("#")) return "Enter the base URL without a ? query or # fragment, like https://api.example.com/v1.";
  if (!u.hostname) return "Enter a URL with a host name.";
  return null;
}
