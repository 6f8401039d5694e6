// Checking an email and a password: Auth.js's credentials `authorize`, reached both by our sign-in
// action (signIn()) and by Auth.js's own endpoint POST /api/auth/callback/credentials, so its limits
// hold on both paths. Each attempt is counted per client address and per account before the
// password is checked (lib/auth/rate-limits.ts); while a limit is used up even the right password is
// refused. Known and unknown emails cost the same argon2 check (lib/auth/password.ts).
import "server-only";
import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { auditUser } from "@/lib/audit";
import { clientIp, UNKNOWN_ADDRESS } from "@/lib/http/client-ip";
import { log } from "@/lib/log";
import { checkPassword } from "./password";
import { attemptSucceeded, countAttempt, signInAttempt, TooManyAttemptsError } from "./rate-limits";

const credentials = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1) });

/** The user Auth.js puts into the session token; sessionVersion is checked on every request after. */
export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  sessionVersion: number;
}

/**
 * Thrown from `authorize` while a limit is used up. Auth.js hands it as is to our sign-in action,
 * which shows its message; its own endpoint answers with `code=rate_limited` in the redirect.
 */
export class TooManySignInsError extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly limited: TooManyAttemptsError) {
    super(limited.message);
  }
}

export async function authorizeCredentials(prisma: Db, raw: unknown, headers: Headers): Promise<SignedInUser | null> {
  const parsed = credentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const attempt = signInAttempt(clientIp(headers), email);
  try {
    await countAttempt(prisma, attempt);
  } catch (err) {
    if (err instanceof TooManyAttemptsError) throw new TooManySignInsError(err);
    throw err;
  }
  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, sessionVersion: true },
  });
  const known = clientIp(headers);
  const ip = known === UNKNOWN_ADDRESS ? null : known;
  if (!(await checkPassword(user?.passwordHash, password)) || !user) {
    // The account's teams see the failed attempt. Not awaited: the answer must take as long for an
    // email without an account, which has no row to write.
    if (user) void auditUser(prisma, user.id, { actorLabel: email, action: "account.sign_in_failed", ip }).catch((err) => log.error("audit.write_failed", { err }));
    return null;
  }
  await attemptSucceeded(prisma, attempt);
  await auditUser(prisma, user.id, { actorId: user.id, action: "account.signed_in", ip });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
