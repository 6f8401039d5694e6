// Auth.js's endpoints (lib/auth/endpoints.ts, what app/api/auth/[...nextauth] serves) over real HTTP
// on 127.0.0.1, and a credentials sign-in posted to them the way a browser form would (CSRF token
// and cookie first). For tests only.
import { NextRequest } from "next/server";
import { setEnvForTests } from "@/lib/env";
import { installPeerAddress } from "@/lib/http/client-ip";
import { serve } from "./http";

export async function serveAuthRoute() {
  setEnvForTests({ AUTH_URL: "" }); // the request's own host
  installPeerAddress();
  const route = await import("@/lib/auth/endpoints");
  return serve(async (req) => {
    const r = new NextRequest(req);
    return req.method === "POST" ? route.POST(r) : route.GET(r);
  });
}

/** The cookies a response set, as a Cookie header. */
export const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

/** POST /api/auth/callback/credentials; `headers` are added (e.g. a forged X-Forwarded-For). */
export async function postCredentials(base: string, email: string, password: string, headers: Record<string, string> = {}) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf), ...headers },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/batches" }),
  });
}

/** GET /api/auth/session with these cookies: the session Auth.js resolves, or null. */
export async function sessionOf(base: string, cookie: string) {
  const res = await fetch(`${base}/api/auth/session`, { headers: { cookie } });
  return { session: (await res.json()) as { user?: { id: string; email: string } } | null, res };
}
