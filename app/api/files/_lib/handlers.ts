// What the /api/files routes answer, as functions of (who is asking, database, request), like the
// other routes' handlers: the session and team checks are tested without a server. Signed out: 401.
// Another team's file, or none: 404. A NUL in the id or a parameter: 400.
import "server-only";
import { Readable } from "node:stream";
import { auditExport } from "@/lib/audit";
import type { TeamContext } from "@/lib/auth/context";
import type { Db } from "@/lib/db/client";
import { getFile } from "@/lib/files/queries";
import { problemsCsv } from "@/lib/files/problems";
import { requestLocale } from "@/lib/i18n/server-messages.request";
import { assertCleanParams } from "@/lib/http/params";
import { attachment, csv, error, guard } from "@/lib/http/respond";

export type Viewer = (Pick<TeamContext, "team"> & { user?: { id: string } }) | null;

/** GET /api/files/:id/problems.csv: every problem of the file (not only the 100 on its page), streamed. */
export function problemsCsvResponse(viewer: Viewer, prisma: Db, id: string, url: URL) {
  return guard("GET /api/files/[id]/problems.csv", viewer, async (v) => {
    assertCleanParams({ id });
    assertCleanParams(url.searchParams);
    const file = await getFile(prisma, v.team.id, id);
    if (!file) return error(404, "File not found.");
    await auditExport(prisma, v, { targetType: "file", targetId: file.id, targetLabel: file.name, file: "-problems.csv", url });
    const text = problemsCsv(prisma, { id: file.id, problems: file.problems, problemCount: file.problemCount, csv: file.format === "csv" }, await requestLocale());
    // Bytes, not strings: the response reads the stream as Uint8Array chunks.
    const body = Readable.from((async function* () {
      for await (const part of text) yield Buffer.from(part, "utf8");
    })());
    return csv(body, attachment(file.name.replace(/\.(jsonl|json|csv|tsv|txt)$/i, ""), "-problems.csv", `file-${file.id}`));
  });
}
