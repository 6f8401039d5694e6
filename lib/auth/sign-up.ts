// Creating an account: the rules of sign-up.schema.ts, a unique (case-insensitive) email, an argon2
// hash, and a personal team with its Sandbox connection.
import "server-only";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { UserError } from "@/lib/errors";
import { createUserWithTeam } from "@/lib/teams/create";
import { hashPassword } from "./password";
import type { SignUpInput } from "./sign-up.schema";

export const TAKEN_EMAIL = "An account with this email already exists. Sign in instead?";

/** Expects input already parsed by signUpInput (email trimmed and lower-cased, password checked). */
export async function signUp(prisma: Db, input: Pick<SignUpInput, "name" | "email" | "password">) {
  const email = input.email.trim().toLowerCase();
  const taken = await prisma.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true } });
  if (taken) throw new UserError(TAKEN_EMAIL, { email: TAKEN_EMAIL });
  try {
    return await createUserWithTeam(prisma, { email, name: input.name.trim(), passwordHash: await hashPassword(input.password) });
  } catch (err) {
    // Two sign-ups with one email at the same moment: the unique index decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new UserError(TAKEN_EMAIL, { email: TAKEN_EMAIL });
    throw err;
  }
}
