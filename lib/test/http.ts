// Serves a fetch-style handler over real HTTP on 127.0.0.1 and a free port, for tests that must
// talk to a provider (the sandbox) the way production does. As in Next, the request's signal aborts
// when the client goes away before the response is finished.
import http from "node:http";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";

export type FetchHandler = (req: Request) => Promise<Response>;

/** A response's headers for node:http, each Set-Cookie kept (Object.fromEntries kept only the last). */
function nodeHeaders(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.fromEntries([...headers].filter(([k]) => k !== "set-cookie"));
  const cookies = headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  return out;
}

/** `host`: another loopback address (127.0.0.2...) for tests of the outbound guard. */
export async function serve(handler: FetchHandler, opts: { host?: string } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const host = opts.host ?? "127.0.0.1";
  const server = http.createServer(async (req, res) => {
    try {
      const url = `http://${req.headers.host}${req.url}`;
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const gone = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) gone.abort(new DOMException("The client went away", "AbortError"));
      });
      const request = new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: "half",
        signal: gone.signal,
      } as RequestInit);
      const response = await handler(request);
      res.writeHead(response.status, nodeHeaders(response.headers));
      if (response.body) {
        Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(res);
      } else res.end();
    } catch (err) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(err), type: "server_error" } }));
    }
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
