// Earlier versions kept the sandbox's file contents under DATA_DIR/sandbox: files/<file id>, and per
// batch batches/<id>.input.jsonl (its input, linked), <id>.errors.json (its validation problems) and
// <id>.requests.jsonl (an Anthropic batch's requests). At start each instance moves what its folder
// holds into the database (blobs.ts), where every instance reads it, then removes the folder. Each
// content goes in under a temporary id and is renamed into place only if nobody put it there first
// (another instance sharing the folder), so running twice, or twice at once, stores it once.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { blobWriter, deleteBlob } from "./blobs";

export interface LegacyImport {
  files: number;
  batches: number;
}

export async function importLegacySandboxFolder(prisma: Db, dataDir: string): Promise<LegacyImport> {
  const root = path.join(dataDir, "sandbox");
  if (!fs.existsSync(root)) return { files: 0, batches: 0 };
  const out = { files: 0, batches: 0 };
  const db = sql(prisma);
  const exists = async (table: "SandboxFile" | "SandboxBatch", id: string) =>
    (await db.query(`SELECT 1 FROM "${table}" WHERE "id" = $1`, [id])).length > 0;

  for (const name of list(path.join(root, "files"))) {
    if (name.endsWith(".part") || name.endsWith(".tmp")) continue; // an upload or a result cut short
    if ((await exists("SandboxFile", name)) && (await importContent(prisma, name, path.join(root, "files", name)))) out.files++;
  }
  for (const name of list(path.join(root, "batches"))) {
    const m = /^(.+)\.(input\.jsonl|errors\.json|requests\.jsonl)$/.exec(name);
    if (!m) continue;
    const [, id, kind] = m;
    const file = path.join(root, "batches", name);
    if (kind === "errors.json") {
      const n = await db.exec(`UPDATE "SandboxBatch" SET "errors" = $2::jsonb WHERE "id" = $1 AND "errors" IS NULL`, [id, fs.readFileSync(file, "utf8")]);
      out.batches += n;
      continue;
    }
    // An input's content is its file's (kept after the file was deleted); requests are the batch's own.
    const owner = kind === "input.jsonl" ? (await db.query<{ inputFileId: string }>(`SELECT "inputFileId" FROM "SandboxBatch" WHERE "id" = $1`, [id]))[0]?.inputFileId : id;
    if (owner && (kind === "input.jsonl" || (await exists("SandboxBatch", id))) && (await importContent(prisma, owner, file))) out.batches++;
  }
  fs.rmSync(root, { recursive: true, force: true });
  return out;
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Stores a file's bytes as blob `blobId` unless it has content already; true if it was stored. */
async function importContent(prisma: Db, blobId: string, file: string): Promise<boolean> {
  const db = sql(prisma);
  const tmp = `${blobId}.import-${process.pid}-${Date.now()}.tmp`;
  try {
    await pipeline(fs.createReadStream(file), blobWriter(prisma, tmp));
    const moved = await db.exec(
      `UPDATE "SandboxChunk" SET "blobId" = $1 WHERE "blobId" = $2 AND NOT EXISTS (SELECT 1 FROM "SandboxChunk" WHERE "blobId" = $1)`,
      [blobId, tmp],
    );
    return moved > 0;
  } catch (err) {
    // Another instance stored it at the same moment (a duplicate key): theirs stays. Anything else
    // stops the import, and the folder stays for the next start.
    if ((err as { code?: string }).code === "23505") return false;
    throw err;
  } finally {
    await deleteBlob(prisma, tmp);
  }
}
