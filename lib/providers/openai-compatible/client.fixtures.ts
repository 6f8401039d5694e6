// For tests: the openai SDK on a stored connection, as another client of the provider would use it,
// to look at what Batchboard sent (the engine's tests read the provider's side through it).
import type OpenAI from "openai";
import { decryptSecret } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { makeClient } from "./client";

export async function openaiClientOf(prisma: Db, connectionId: string): Promise<OpenAI> {
  const c = await prisma.providerConnection.findUniqueOrThrow({ where: { id: connectionId }, select: { kind: true, baseUrl: true, encryptedKey: true } });
  return makeClient(c.kind, c.baseUrl, decryptSecret(c.encryptedKey), { maxRetries: 0, timeoutMs: 60_000 });
}
