// Auth.js v5: email + password (argon2) with JWT sessions. Initialised lazily so that settings are
// read at request time, never at build time. The password check and its rate limits are in
// credentials.ts; a token whose session version is stale (sessions.ts) is refused here, on every
// auth() call, and its cookie cleared.
import "server-only";
import NextAuth, { type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { auditUser } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { authorizeCredentials } from "./credentials";
import { sessionIsCurrent } from "./sessions";
import { log } from "@/lib/log";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
  interface User {
    sessionVersion?: number;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    /** The user's session version at sign-in (lib/auth/sessions.ts). */
    sv?: number;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/sign-in" },
  // A wrong password is an answer, not an error worth a log line (a rate limit logs its own).
  logger: {
    error(e: Error) {
      // `type`, not `name`: class names are minified in the production build.
      if ((e as Error & { type?: string }).type !== "CredentialsSignin") log.error("auth.error", { err: e });
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        return authorizeCredentials(await db(), raw, request.headers);
      },
    }),
  ],
  // Every way out (our sign-out button, Auth.js's own endpoint) is a row of the audit log.
  events: {
    async signOut(message) {
      const userId = "token" in message ? message.token?.sub : undefined;
      if (userId) await auditUser(await db(), userId, { actorId: userId, action: "account.signed_out" }).catch((err) => log.error("audit.write_failed", { err }));
    },
  },
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sv = user.sessionVersion ?? 0;
        return token;
      }
      if (!token.sub || !(await sessionIsCurrent(await db(), token.sub, token.sv))) return null;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
