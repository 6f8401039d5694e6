// `npm run admin -- user create` and `password reset`: accounts made and mended from the command
// line, with the same rules as the forms (lib/auth/sign-up.schema.ts), without the sign-up policy
// (the operator is the policy). A user gets a personal team with its Sandbox, as at sign-up; a reset
// ends every session of the user, as a password change does. Both are rows of the audit log, by
// "admin CLI".
import "server-only";
import { CLI_ACTOR } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { endSessions } from "@/lib/auth/sessions";
import { signUpInput } from "@/lib/auth/sign-up.schema";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { UserError } from "@/lib/errors";
import { addUserWithTeam } from "@/lib/teams/create";

/** The first message of a failed parse, naming the option it is about. */
function refusal(issues: { path: PropertyKey[]; message: string }[]): UserError {
  const i = issues[0];
  return new UserError(`--${String(i.path[0] ?? "email")}: ${i.message}`);
}

const emailTaken = (email: string) => new UserError(`--email: An account with the email ${email} already exists.`);

export async function createUser(prisma: Db, raw: { email?: string; password?: string; name?: string }) {
  const email = (raw.email ?? "").trim().toLowerCase();
  const parsed = signUpInput.safeParse({ name: raw.name ?? email.split("@")[0] ?? "", email, password: raw.password ?? "" });
  if (!parsed.success) throw refusal(parsed.error.issues);
  const passwordHash = await hashPassword(parsed.data.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const taken = await tx.user.findFirst({ where: { email: { equals: parsed.data.email, mode: "insensitive" } }, select: { id: true } });
      if (taken) throw emailTaken(parsed.data.email);
      return addUserWithTeam(tx, { email: parsed.data.email, name: parsed.data.name, passwordHash }, { actorLabel: CLI_ACTOR });
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw emailTaken(parsed.data.email);
    throw err;
  }
}

export async function resetPassword(prisma: Db, raw: { email?: string; password?: string }) {
  const email = (raw.email ?? "").trim().toLowerCase();
  if (!email) throw new UserError("--email: Enter the account's email address.");
  const user = await prisma.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true, email: true } });
  if (!user) throw new UserError(`--email: No account has the email ${email}.`);
  // The same rules as a sign-up's password (the name is not checked here).
  const parsed = signUpInput.safeParse({ name: "x", email: user.email, password: raw.password ?? "" });
  if (!parsed.success) throw refusal(parsed.error.issues);
  const passwordHash = await hashPassword(parsed.data.password);
  await prisma.$transaction((tx) => endSessions(tx, user.id, "account.password_reset", { passwordHash }, { actorLabel: CLI_ACTOR }));
  return user;
}
