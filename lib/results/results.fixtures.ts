// Test data for the batch read paths: a team with an input file, its requests, a batch on the
// team's Sandbox connection and its results, shaped like the provider lines the sync worker stores;
// sampleRows, 120 requests with failures, a missing answer and text worth searching for.
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { COPY_CSV_OPTIONS, copyField as field, CopyRows, sql } from "@/lib/db/sql";
import { REQUEST_COPY, requestCopyRow } from "@/lib/files/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createUserWithTeam } from "@/lib/teams/create";

export async function seedTeam(prisma: Db, label = "t") {
  const email = `${label}-${crypto.randomUUID()}@example.test`;
  const { user, team } = await createUserWithTeam(prisma, { email, name: `User ${label}`, passwordHash: "x" });
  const connection = await prisma.providerConnection.findFirstOrThrow({ where: { teamId: team.id } });
  return { user, team, connection };
}

export interface SeedRow {
  customId: string;
  prompt: string;
  /** Omitted: no result for this request (a missing one). */
  result?: { ok: true; content: string; reasoning?: string } | { ok: false; code: string; message: string };
}

export function outputLine(customId: string, content: string, reasoning?: string) {
  return {
    id: `resp-${customId}`,
    custom_id: customId,
    response: {
      status_code: 200,
      request_id: `req-${customId}`,
      body: {
        created: 1743562621,
        usage: { completion_tokens: 6, prompt_tokens: 20, total_tokens: 26, ...(reasoning ? { completion_tokens_details: { reasoning_tokens: 4 } } : {}) },
        model: "batch-test-model",
        id: `chatcmpl-${customId}`,
        choices: [{ finish_reason: "stop", index: 0, message: { content, ...(reasoning ? { reasoning_content: reasoning } : {}) } }],
        object: "chat.completion",
      },
    },
    error: null,
  };
}

export function errorLine(customId: string, code: string, message: string) {
  return { id: `err-${customId}`, custom_id: customId, response: null, error: { code, message } };
}

export async function seedBatch(
  prisma: Db,
  t: Awaited<ReturnType<typeof seedTeam>>,
  rows: SeedRow[],
  extra: Partial<Prisma.BatchUncheckedCreateInput> = {},
) {
  const file = await prisma.inputFile.create({
    data: {
      teamId: t.team.id,
      name: "questions.jsonl",
      format: "jsonl",
      bytes: BigInt(1000),
      lineCount: rows.length,
      requestCount: rows.length,
      endpoint: "/v1/chat/completions",
      models: ["batch-test-model"],
      status: "valid",
      createdById: t.user.id,
    },
  });
  // By COPY, as the upload stores them: 50,000 rows through Prisma's createMany took minutes on a busy machine.
  await copyRows(prisma, REQUEST_COPY, rows.map((r, i) => requestCopyRow(file.id, { line: i + 1, customId: r.customId, model: "batch-test-model", prompt: r.prompt, body: JSON.stringify({ model: "batch-test-model", messages: [{ role: "user", content: r.prompt }] }), source: null })));
  const batch = await prisma.batch.create({
    data: {
      teamId: t.team.id,
      connectionId: t.connection.id,
      inputFileId: file.id,
      name: "Test batch",
      endpoint: "/v1/chat/completions",
      completionWindow: "24h",
      idempotencyKey: crypto.randomUUID(),
      status: "COMPLETED",
      rawStatus: "completed",
      providerBatchId: `batch_${crypto.randomUUID()}`,
      outputFileId: "file-out",
      errorFileId: "file-err",
      total: rows.length,
      completed: rows.filter((r) => r.result?.ok).length,
      failed: rows.filter((r) => r.result && !r.result.ok).length,
      resultsIngestedAt: new Date(),
      resultCount: rows.filter((r) => r.result).length,
      createdById: t.user.id,
      ...extra,
    },
  });
  const results: Prisma.ResultCreateManyInput[] = rows.flatMap((r): Prisma.ResultCreateManyInput[] => {
    if (!r.result) return [];
    if (r.result.ok) {
      return [
        {
          batchId: batch.id,
          customId: r.customId,
          succeeded: true,
          statusCode: 200,
          providerRequestId: `req-${r.customId}`,
          model: "batch-test-model",
          created: 1743562621,
          content: r.result.content,
          reasoningContent: r.result.reasoning ?? null,
          finishReason: "stop",
          promptTokens: 20,
          completionTokens: 6,
          reasoningTokens: r.result.reasoning ? 4 : null,
          totalTokens: 26,
          raw: outputLine(r.customId, r.result.content, r.result.reasoning),
        },
      ];
    }
    return [
      {
        batchId: batch.id,
        customId: r.customId,
        succeeded: false,
        errorCode: r.result.code,
        errorMessage: r.result.message,
        raw: errorLine(r.customId, r.result.code, r.result.message),
      },
    ];
  });
  await copyRows(prisma, `COPY "Result" (${RESULT_COLUMNS.map((c) => `"${c}"`).join(", ")})`, results.map(resultRow));
  return { file, batch };
}

const RESULT_COLUMNS = ["batchId", "customId", "succeeded", "statusCode", "providerRequestId", "model", "created", "content", "reasoningContent", "finishReason", "promptTokens", "completionTokens", "reasoningTokens", "totalTokens", "errorCode", "errorMessage", "raw"] as const;

/** A seeded result as a row of that COPY: texts through copyField, numbers and booleans as they read, the raw line as its JSON text. */
function resultRow(r: Prisma.ResultCreateManyInput): string {
  const cell = (c: (typeof RESULT_COLUMNS)[number]) => {
    const v = r[c];
    if (v === null || v === undefined) return "";
    if (c === "raw") return JSON.stringify(v);
    if (typeof v === "boolean") return v ? "t" : "f";
    return typeof v === "number" ? String(v) : field(String(v));
  };
  return `${RESULT_COLUMNS.map(cell).join("\x02")}\n`;
}

async function copyRows(prisma: Db, statement: string, rows: string[]) {
  const copy = new CopyRows(await sql(prisma).copyIn(statement, COPY_CSV_OPTIONS));
  for (const row of rows) await copy.add(row);
  await copy.end();
}

// 120 requests: every 4th failed, one with no result, a few with text worth searching for.
export const sampleRows: SeedRow[] = Array.from({ length: 120 }, (_, i) => {
  const customId = `req-${String(i + 1).padStart(3, "0")}`;
  if (i === 119) return { customId, prompt: "never answered" };
  if (i % 4 === 3) return { customId, prompt: `Question ${i + 1}`, result: { ok: false, code: "rate_limit", message: "Too many requests" } };
  const prompt = i === 10 ? "What is the capital of FRANCE?" : i === 20 ? "把这句话翻译成英文" : i === 30 ? "Un RÉSUMÉ de l'ÉTÉ" : `Question ${i + 1}`;
  const content = i === 10 ? "Paris." : i === 21 ? "100% sure_thing" : i === 30 ? "Ωμέγα, ΣΟΦΊΑ" : `Answer ${i + 1}`;
  return { customId, prompt, result: { ok: true, content, reasoning: i === 0 ? "Thinking first." : undefined } };
});
