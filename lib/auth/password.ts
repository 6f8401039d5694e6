// Password hashing (argon2id, the library's defaults) and checking. An account that does not exist
// is checked against a dummy hash at the same cost, so a sign-in takes as long for an unknown email
// as for a known one and its timing does not tell which emails have accounts.
import "server-only";
import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(stored: string, password: string) {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Made like every stored hash (same parameters, so the same cost), of a password nobody knows; once
// per process, as soon as this module loads, so that the first unknown email costs no extra hash.
const dummyHash = hashPassword(crypto.randomBytes(24).toString("base64url"));

/** Checks a password against an account's hash, or, with no account, against the dummy hash (false). */
export async function checkPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (stored == null) {
    await verifyPassword(await dummyHash, password);
    return false;
  }
  return verifyPassword(stored, password);
}
