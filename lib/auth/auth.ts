// Auth.js v5: email + password (argon2) with JWT sessions. Initialised lazily so that settings are
// read at request time, never at build time.
import "server-only";
import NextAuth, { type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { verifyPassword } from "./password";
import { log } from "@/lib/log";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}

const credentials = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/sign-in" },
  // A wrong password is an answer, not an error worth a log line.
  logger: {
    error(e: Error) {
      // `type`, not `name`: class names are minified in the production build.
      if ((e as Error & { type?: string }).type !== "CredentialsSignin") log.error("auth.error", { err: e });
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) return null;
        const prisma = await db();
        const user = await prisma.user.findUnique({
          where: { email: parsed.data.email },
          select: { id: true, email: true, name: true, passwordHash: true },
        });
        // Verify even when the user is unknown would be nicer for timing; argon2 is the cost here.
        if (!user || !(await verifyPassword(user.passwordHash, parsed.data.password))) return null;
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
