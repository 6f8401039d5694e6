// Once a batch has ended and its results are stored, its input file at the provider serves no one:
// where the connection says so (deleteInputFiles, on by default) the worker deletes it, so quotas
// such as Moonshot's 1,000 files or Bailian's 10,000 files / 100 GB do not fill up. Only batches
// launched here: a batch imported from the provider's history keeps its files (they were never
// ours to clean up). Best effort: a failure is logged, the file stays, and the connection's files
// page can delete it later.
import "server-only";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import type { Connection } from "@/lib/providers/adapters";

export async function deleteInputAfterEnd(
  prisma: Db,
  batch: { id: string; providerInputFileId: string | null; inputDeletedAt: Date | null; importedAt: Date | null },
  conn: Pick<Connection, "adapter" | "profile" | "deleteInputFiles">,
): Promise<boolean> {
  if (!conn.deleteInputFiles || !conn.profile.capabilities.files) return false;
  if (!batch.providerInputFileId || batch.inputDeletedAt || batch.importedAt) return false;
  try {
    await conn.adapter.deleteFile(batch.providerInputFileId);
  } catch (err) {
    log.warn("batch.input_file_not_deleted", { batchId: batch.id, fileId: batch.providerInputFileId, err });
    return false;
  }
  await prisma.batch.update({ where: { id: batch.id }, data: { inputDeletedAt: new Date() } });
  log.info("batch.input_file_deleted", { batchId: batch.id, fileId: batch.providerInputFileId });
  return true;
}
