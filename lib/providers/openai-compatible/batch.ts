// The OpenAI batch object in our words, and the request line of its input file. Pure: no I/O.
// Providers of this shape differ in spelling only, which the profile says or the parsing tolerates:
// Unix seconds or ISO 8601 strings (Together), request counts or a percentage (Together), fields
// left out or sent as null.
import type { Batch as OpenAIBatch } from "openai/resources/batches";
import type { Prisma } from "@/lib/generated/prisma/client";
import { BATCH_ID_METADATA_KEY, type BatchFields, type RemoteBatch } from "@/lib/providers/adapter";
import type { ProviderProfile } from "@/lib/providers/profile";
import { normaliseStatus } from "@/lib/providers/status";

/** One request line of the input file, without its newline: {custom_id, method, url, body}. */
export function requestLine(customId: string, endpoint: string, body: unknown): string {
  return JSON.stringify({ custom_id: customId, method: "POST", url: endpoint, body });
}

type Stamp = number | string | null | undefined;

/** Unix seconds from OpenAI-style providers; ISO 8601 strings from others (Together). */
export function toDate(v: Stamp): Date | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  if (typeof v === "number") return Number.isFinite(v) && v > 0 ? new Date(v * 1000) : undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return toDate(Number(v));
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Our columns from a batch object; what the provider omits stays undefined. */
export function batchFields(b: OpenAIBatch): BatchFields {
  const raw = b as OpenAIBatch & Record<string, unknown>;
  const counts = b.request_counts;
  return {
    status: normaliseStatus(b.status),
    rawStatus: b.status ?? null,
    providerBatchId: b.id,
    providerInputFileId: b.input_file_id || undefined,
    outputFileId: b.output_file_id || undefined,
    errorFileId: b.error_file_id || undefined,
    errors: b.errors ? (b.errors as unknown as Prisma.InputJsonValue) : undefined,
    total: counts?.total ?? undefined,
    completed: counts?.completed ?? undefined,
    failed: counts?.failed ?? undefined,
    providerCreatedAt: toDate(raw.created_at as Stamp),
    inProgressAt: toDate(raw.in_progress_at as Stamp),
    finalizingAt: toDate(raw.finalizing_at as Stamp),
    completedAt: toDate(raw.completed_at as Stamp),
    failedAt: toDate(raw.failed_at as Stamp),
    expiredAt: toDate(raw.expired_at as Stamp),
    cancellingAt: toDate(raw.cancelling_at as Stamp),
    cancelledAt: toDate(raw.cancelled_at as Stamp),
    expiresAt: toDate(raw.expires_at as Stamp),
  };
}

/** Together reports a percentage (0..100) instead of request counts. */
export function progressPercentOf(b: OpenAIBatch): number | undefined {
  const p = (b as OpenAIBatch & { progress?: unknown }).progress;
  return !b.request_counts && typeof p === "number" && Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : undefined;
}

/** The batch as the engine sees it: its name and description from the metadata keys the profile names. */
export function remoteOf(b: OpenAIBatch, p: ProviderProfile): RemoteBatch {
  const meta = (key: string) => (key && typeof b.metadata?.[key] === "string" && b.metadata[key]) || null;
  const ours = b.metadata?.[BATCH_ID_METADATA_KEY];
  return {
    id: b.id,
    fields: batchFields(b),
    progressPercent: progressPercentOf(b),
    ours: typeof ours === "string" ? ours : undefined,
    name: meta(p.metadata.nameKey),
    description: meta(p.metadata.descriptionKey),
    endpoint: b.endpoint || null,
    completionWindow: b.completion_window || null,
  };
}
