// Next's proxy (the former middleware): gives every page request a fresh CSP nonce, in the policy
// Next reads from the request (it then puts the nonce on its own scripts) and in the response's
// Content-Security-Policy (lib/http/security-headers.ts says why the policy is what it is).
// Pages only. The matcher leaves out /api (a proxied request body is cut at 10 MB: uploads and the
// sandbox's file uploads must never pass here; the API's headers come from next.config.mjs), Next's
// static files, and prefetches (no HTML in them).
import { NextResponse, type NextRequest } from "next/server";
import { settings } from "@/lib/env";
import { newNonce, pagePolicy } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const policy = pagePolicy(newNonce(), settings().NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
