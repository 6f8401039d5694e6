// One entry per content hash per team: the same bytes uploaded again (for the same endpoint, and for
// a CSV with the same mapping) are answered with the file already stored ("already uploaded as ...")
// instead of a second identical entry, which the launch form would list twice. An earlier upload of
// the same bytes that stored nothing (invalid, failed) is replaced by the new one.
import "server-only";
import { isDeepStrictEqual } from "node:util";
import type { Db } from "@/lib/db/client";
import type { ImportedFile, Problem } from "./types";

export interface DuplicateQuery {
  teamId: string;
  sha256: string;
  format: "jsonl" | "csv";
  endpoint: string;
  /** A CSV's mapping: the same bytes mapped otherwise make other requests. */
  mapping?: unknown;
  /** The new upload's own row. */
  excludeId: string;
}

/** The team's valid file holding these same bytes (and so the same requests), or null. */
export async function findDuplicate(prisma: Db, q: DuplicateQuery): Promise<ImportedFile | null> {
  const rows = await prisma.inputFile.findMany({
    where: { teamId: q.teamId, sha256: q.sha256, format: q.format, endpoint: q.endpoint, status: "valid", id: { not: q.excludeId } },
    orderBy: { createdAt: "asc" },
    take: 20,
  });
  const row = rows.find((r) => q.format === "jsonl" || isDeepStrictEqual((r.csv as { mapping?: unknown } | null)?.mapping, q.mapping));
  if (!row) return null;
  const list = (v: unknown) => (Array.isArray(v) ? (v as Problem[]) : []);
  return {
    id: row.id,
    name: row.name,
    endpoint: row.endpoint,
    format: row.format === "csv" ? "csv" : "jsonl",
    status: "valid",
    bytes: Number(row.bytes),
    lineCount: row.lineCount,
    requestCount: row.requestCount,
    models: row.models,
    problemCount: 0,
    problems: [],
    warningCount: row.warningCount,
    warnings: list(row.warnings),
    sha256: row.sha256,
    checkedFor: row.checkedFor,
    duplicate: true,
  };
}

/** Removes the team's earlier uploads of these bytes that stored nothing: the new upload replaces them. */
export async function replaceUnstored(prisma: Db, teamId: string, sha256: string, keepId: string): Promise<number> {
  const { count } = await prisma.inputFile.deleteMany({
    where: { teamId, sha256, id: { not: keepId }, status: { in: ["invalid", "failed"] }, origin: "upload", batches: { none: {} } },
  });
  return count;
}
