// Auth.js's own endpoints, served by app/api/auth/[...nextauth]/route.ts. A sign-in posted straight
// to /api/auth/callback/credentials passes the same limits as our sign-in form (they are counted in
// authorize, lib/auth/credentials.ts); when one refuses it, this answers 429 with Retry-After and the
// message that says when to try again, where Auth.js alone would redirect to the sign-in page with
// `code=rate_limited` (that 429 keeps its own shape, { error, retryAfterSeconds }, which the sign-in
// tests read; every other answer here is Auth.js's). This lives in lib, not in the route file, so
// that tests serve these endpoints without importing app/ (lib/test/auth-http.ts).
import { NextRequest } from "next/server";
import { handlers } from "./auth";
import { retryAfterSeconds, signInAttempt, tryAgainIn } from "./rate-limits";
import { db } from "@/lib/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { readCapped } from "@/lib/http/body";

export const { GET } = handlers;

/** The email a credentials sign-in was posted with (a form or JSON, as Auth.js reads it). */
async function postedEmail(req: Request): Promise<string | null> {
  try {
    const body = req.headers.get("content-type")?.includes("application/json")
      ? ((await req.json()) as Record<string, unknown>)
      : Object.fromEntries(await req.formData());
    return typeof body.email === "string" ? body.email : null;
  } catch {
    return null;
  }
}

/**
 * The most an Auth.js POST may carry: a sign-in's email, password and CSRF token are a few hundred
 * bytes. /api is outside proxy.ts's cap, and Auth.js reads a body whole, so a larger one is refused
 * here before it is read into memory (a sign-in needs no session: anyone can send one).
 */
const MAX_BODY = 64 * 1024;

export async function POST(request: NextRequest) {
  const body = await readCapped(request, MAX_BODY);
  if (!body) return Response.json({ error: `The request's body is over ${MAX_BODY / 1024} KB: a sign-in needs only an email and a password.` }, { status: 413 });
  const req = new NextRequest(request.url, { method: "POST", headers: request.headers, body });
  const credentials = new URL(req.url).pathname.endsWith("/callback/credentials");
  const email = credentials ? await postedEmail(req.clone()) : null;
  const res = await handlers.POST(req);
  if (!email || !/[?&]code=rate_limited(&|$)/.test(res.headers.get("location") ?? "")) return res;
  const wait = Math.max(1, await retryAfterSeconds(await db(), signInAttempt(clientIp(req.headers), email)));
  return Response.json(
    { error: `Too many attempts. ${tryAgainIn(wait)}`, retryAfterSeconds: wait },
    { status: 429, headers: { "Retry-After": String(wait) } },
  );
}
