// Creating an account: the rules of sign-up.schema.ts, the server's sign-up policy (SIGN_UP), a unique
// (case-insensitive) email, an argon2 hash, and a personal team with its Sandbox connection.
//
// The policy: the first account of an empty server may always sign up (so a fresh install works).
// After it, `open` lets anyone sign up; `invite` (the default, for a team's server) needs a pending
// invite link, which is claimed in the same transaction as the account (one link, one account, and
// no account without the link); `closed` lets nobody sign up (an invite then only lets someone who
// already has an account join). Sign-ups take a lock for their transaction, so two sign-ups on an
// empty server cannot both be "the first".
import "server-only";
import type { Db } from "@/lib/db/client";
import type { Settings } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { UserError } from "@/lib/errors";
import { addUserWithTeam } from "@/lib/teams/create";
import { claimInvite, InviteError, lookupInvite } from "@/lib/teams/invites";
import { hashPassword } from "./password";
import type { SignUpInput } from "./sign-up.schema";

export const TAKEN_EMAIL = "An account with this email already exists. Sign in instead?";

export type SignUpPolicy = Settings["SIGN_UP"];

/** Why a sign-up is refused by the policy (an invite's own problem is an InviteError). */
export class SignUpClosedError extends UserError {
  constructor(readonly policy: Exclude<SignUpPolicy, "open">) {
    super(
      policy === "invite"
        ? "This Batchboard takes new accounts by invitation only. Ask a team admin for an invite link."
        : "This Batchboard does not take new accounts. Ask its administrator for one.",
    );
    this.name = "SignUpClosedError";
  }
}

// Any constant: serialises sign-ups (pg_advisory_xact_lock, released when the transaction ends).
const SIGN_UP_LOCK = 724_311_901;

type Tx = Db | Prisma.TransactionClient;
type FoundInvite = Awaited<ReturnType<typeof lookupInvite>>;

/**
 * Whether a sign-up may go on now, under this policy and with this invite token: `refusal` is the
 * error it would get (null: it may), `first` whether it would be the server's first account, and
 * `invite` what the token names. What the sign-up page shows, and what signUp checks.
 */
export async function signUpGate(db: Tx, policy: SignUpPolicy, invite?: string) {
  const found: FoundInvite | null = invite ? await lookupInvite(db, invite) : null;
  const first = (await db.user.findFirst({ select: { id: true } })) === null;
  let refusal: SignUpClosedError | InviteError | null = null;
  if (!first && policy === "closed") refusal = new SignUpClosedError("closed");
  else if (!first && policy === "invite") {
    if (!found) refusal = new SignUpClosedError("invite");
    else if (found.state !== "pending") refusal = new InviteError(found.state);
  }
  return { first, invite: found, refusal };
}

/**
 * Expects input already parsed by signUpInput (email trimmed and lower-cased, password checked).
 * The policy is checked before the email, so a visitor who may not sign up learns nothing about
 * which emails have accounts.
 */
export async function signUp(prisma: Db, input: Pick<SignUpInput, "name" | "email" | "password">, opts: { policy: SignUpPolicy; invite?: string }) {
  const email = input.email.trim().toLowerCase();
  const early = await signUpGate(prisma, opts.policy, opts.invite);
  if (early.refusal) throw early.refusal;
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGN_UP_LOCK})`;
      const gate = await signUpGate(tx, opts.policy, opts.invite);
      if (gate.refusal) throw gate.refusal;
      const taken = await tx.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true } });
      if (taken) throw new UserError(TAKEN_EMAIL, { email: TAKEN_EMAIL });
      const made = await addUserWithTeam(tx, { email, name: input.name.trim(), passwordHash });
      // Only where the invite is the ticket in: with an open policy a stale link must not stop a sign-up.
      const needsInvite = !gate.first && opts.policy === "invite";
      if (needsInvite && gate.invite && gate.invite.state !== "unknown") await claimInvite(tx, made.user.id, opts.invite!, gate.invite);
      return made;
    });
  } catch (err) {
    // Two sign-ups with one email at the same moment: the unique index decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new UserError(TAKEN_EMAIL, { email: TAKEN_EMAIL });
    throw err;
  }
}
