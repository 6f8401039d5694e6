// What a connection test says when the provider cannot be reached, shared by the OpenAI-shaped
// probe (connections.ts) and Anthropic's (anthropic-client.ts): the error code under the SDK's
// error, and the same plain words for it.

/** The system error code (ECONNREFUSED, ENOTFOUND, ...) somewhere under an SDK's connection error. */
export function codeOf(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 6; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string") return e.code;
    // undici reports several attempts (IPv4 and IPv6) as an AggregateError.
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length) {
      const c = codeOf(inner[0]);
      if (c) return c;
    }
  }
  return undefined;
}

/** Why `host` could not be reached, from the connection error's code. */
export function unreachableMessage(host: string, code: string | undefined): string {
  if (code === "ECONNREFUSED") return `Connection refused by ${host}: nothing is listening there. Check the URL and port.`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return `The host name ${host.replace(/:\d+$/, "")} could not be found (DNS). Check the URL.`;
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return `No answer from ${host} (connection timed out).`;
  if (code && /CERT|SSL|TLS/.test(code)) return `The TLS certificate of ${host} was not accepted (${code}).`;
  return `Could not reach ${host}${code ? ` (${code})` : ""}.`;
}
