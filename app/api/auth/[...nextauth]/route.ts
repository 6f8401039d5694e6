// Auth.js's own endpoints (/api/auth/*: session, CSRF token, sign-in, sign-out), with the sign-in
// limits' 429 on a credentials sign-in (lib/auth/endpoints.ts).
export { GET, POST } from "@/lib/auth/endpoints";
