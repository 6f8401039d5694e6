"use server";
// The API tokens page's actions. Any member makes tokens of their own (a viewer's can only read:
// a token never does more than its owner's current role); the owner and the team's admins revoke.
import { revalidatePath } from "next/cache";
import { formToObject, teamAction } from "@/lib/actions";
import { db } from "@/lib/db/client";
import { createToken, revokeToken } from "./tokens";
import { createTokenInput, tokenIdInput } from "./tokens.schema";

const create = teamAction(createTokenInput, "VIEWER", async (input, ctx) => {
  const t = await createToken(await db(), ctx, input);
  revalidatePath("/tokens");
  return { id: t.id, name: t.name, secret: t.secret, expiresAt: t.expiresAt?.toISOString() ?? null };
});

export async function createTokenAction(_prev: unknown, formData: FormData) {
  // Several checked connections come as one field each.
  const allowed = formData.getAll("allowedConnectionIds").filter((v): v is string => typeof v === "string" && v !== "");
  return create({ ...formToObject(formData), allowedConnectionIds: allowed } as never);
}

const revoke = teamAction(tokenIdInput, "VIEWER", async ({ tokenId }, ctx) => {
  await revokeToken(await db(), ctx, tokenId);
  revalidatePath("/tokens");
});

export async function revokeTokenAction(_prev: unknown, formData: FormData) {
  return revoke(formData);
}
