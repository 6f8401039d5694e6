// What /api/audit/export.csv answers, as a function of (who is asking, database, request), like the
// other routes' handlers. Signed out: 401. Below admin: 403 (the log names every member's actions
// and addresses). A parameter that is not valid: 400, before anything is streamed. Otherwise the
// filtered log as CSV, streamed, and the download is itself a row of the log.
import "server-only";
import { auditExport } from "@/lib/audit";
import { parseAuditParams } from "@/lib/audit-log/params";
import { auditCsv } from "@/lib/audit-log/query";
import type { TeamContext } from "@/lib/auth/context";
import { ForbiddenError } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/client";
import { attachment, csv, error, guard } from "@/lib/http/respond";

export type Viewer = (Pick<TeamContext, "team" | "role"> & { user?: { id: string } }) | null;

export function auditCsvResponse(viewer: Viewer, prisma: Db, url: URL): Promise<Response> {
  return guard("GET /api/audit/export.csv", viewer, async (v) => {
    if (!can.manage(v.role)) return error(403, new ForbiddenError("ADMIN").message);
    const { after: _after, ...filters } = parseAuditParams(url.searchParams);
    await auditExport(prisma, v, { action: "audit.exported", targetType: "team", targetId: v.team.id, targetLabel: v.team.name, file: "-audit.csv", url });
    return csv(auditCsv(prisma, v.team.id, filters, { bom: url.searchParams.get("bom") === "1" }), attachment(v.team.name, "-audit.csv", "audit"));
  });
}
