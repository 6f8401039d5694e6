// The one-click sample batch of an empty Batches page: a small file of realistic requests (a support
// inbox: classify, summarise, draft a reply, translate, extract fields), stored the way an upload
// stores one (checked and stored by importJsonlFile, audited as file.uploaded), then launched on the
// team's built-in Sandbox connection, which answers at no cost. A new user sees a whole batch run,
// with its results, before bringing a file or a key of their own.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { env, settings } from "@/lib/env";
import { UserError } from "@/lib/errors";
import { importJsonlFile } from "@/lib/files/store";
import { reserveUpload } from "@/lib/files/quota";
import { MB } from "@/lib/providers/profile";
import { profiles, uploadLimitsFor } from "@/lib/providers/profiles";
import { launchBatch } from "./engine/launch";
import type { ActorContext } from "./engine/lease";

const ENDPOINT = "/v1/chat/completions";
/** The sandbox's test model: its answers are deterministic test text. */
const MODEL = "batch-test-model";
export const SAMPLE_FILE_NAME = "sample-support-inbox.jsonl";
export const SAMPLE_BATCH_NAME = "Sample: support inbox";

const SYSTEM = "You are a support assistant for an online bookshop. Answer briefly and politely.";

/** custom_id and the user's message of each request. */
const REQUESTS: [string, string][] = [
  ["ticket-101-category", "Classify this ticket as one of billing, shipping, account, other. Reply with the word only.\n\n“I was charged twice for order #4821.”"],
  ["ticket-102-summary", "Summarise in one sentence: “Hello, I ordered three books on Monday, the tracking page has said ‘label created’ for five days and nobody answers the phone. I need them for a class next week.”"],
  ["ticket-103-reply", "Draft a short reply to a customer who cannot reset their password because the reset email never arrives."],
  ["ticket-104-translate", "Translate into Simplified Chinese: “Your refund has been approved and will reach your card within 5 business days.”"],
  ["ticket-105-extract", 'Extract the order number and the city as JSON {"order": ..., "city": ...}: “Order 7719 was delivered to the wrong address in Leeds.”'],
  ["ticket-106-sentiment", "Is this customer happy, neutral or unhappy? Reply with one word.\n\n“Third time I write. Still no answer. Very disappointed.”"],
];

/** The sample file's lines (OpenAI's batch format). */
export function sampleJsonl(): string {
  return (
    REQUESTS.map(([custom_id, content]) =>
      JSON.stringify({
        custom_id,
        method: "POST",
        url: ENDPOINT,
        body: { model: MODEL, messages: [{ role: "system", content: SYSTEM }, { role: "user", content }], max_tokens: 200 },
      }),
    ).join("\n") + "\n"
  );
}

const builtInKinds = () => Object.values(profiles).filter((p) => p.builtIn).map((p) => p.kind);

/** Stores the sample file and launches it on the team's Sandbox; answers the batch's id. */
export async function launchSample(ctx: ActorContext): Promise<{ batchId: string; fileId: string }> {
  const prisma = await db();
  const conn = await prisma.providerConnection.findFirst({
    where: { teamId: ctx.team.id, kind: { in: builtInKinds() } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, kind: true },
  });
  if (!conn) throw new UserError("This team has no built-in Sandbox connection to run the sample on.");
  const profile = profiles[conn.kind];

  const dir = path.join(env().DATA_DIR, "tmp");
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `sample-${crypto.randomUUID()}.jsonl`);
  let fileId: string;
  try {
    await fs.promises.writeFile(tmp, sampleJsonl());
    const base = { teamId: ctx.team.id, name: SAMPLE_FILE_NAME, endpoint: ENDPOINT };
    fileId = await reserveUpload(prisma, { ...base, format: "jsonl", bytes: 0, status: "uploading", createdById: ctx.user.id }, settings().MAX_UPLOADS_PER_USER);
    const limits = { ...uploadLimitsFor(profile), label: `${conn.name} (${profile.label})` };
    const file = await importJsonlFile(prisma, { ...base, path: tmp, userId: ctx.user.id, limits, fileId, quotaBytes: settings().TEAM_STORAGE_QUOTA_MB * MB });
    // The sample is ours: a refusal here is the team's quota (thrown above) or a bug, never the user's file.
    if (file.status !== "valid") throw new Error(`the sample file was ${file.status}: ${file.problems.map((p) => p.message).join("; ")}`);
    await audit(prisma, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "file.uploaded",
      targetType: "file",
      targetId: fileId,
      targetLabel: SAMPLE_FILE_NAME,
      data: { status: file.status, format: "jsonl", bytes: file.bytes, requests: file.requestCount, problems: 0, sample: true },
    });
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
  const { batchId } = await launchBatch(
    {
      connectionId: conn.id,
      inputFileId: fileId,
      endpoint: ENDPOINT,
      completionWindow: profile.completionWindows[0] ?? "24h",
      name: SAMPLE_BATCH_NAME,
      description: "A sample batch on the built-in Sandbox: test answers, no cost.",
      idempotencyKey: `sample:${fileId}`,
    },
    ctx,
  );
  return { batchId, fileId };
}
