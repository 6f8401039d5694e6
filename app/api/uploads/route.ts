// POST /api/uploads: a team member uploads a JSONL batch file (multipart: "endpoint", then "file"),
// or a CSV with its mapping ("format"=csv, "mapping" or "templateId", then "file"), converted on the
// server. The answer streams NDJSON progress; see lib/files/upload.ts for the fields and events. Keep this route out
// of any proxy.ts matcher: a proxy cuts request bodies to 10 MB. Its errors, and the error event of
// its stream, are in the request's language (lib/i18n/server-messages.ts); /api/v1/files stays English.
import { requireTeam, UnauthenticatedError, ForbiddenError } from "@/lib/auth/context";
import { toUserMessage } from "@/lib/errors";
import { localizeResponse } from "@/lib/i18n/server-messages.request";
import { handleUpload } from "@/lib/files/upload";
import { foreignOrigin } from "@/lib/http/origin";
import { uploadError } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return localizeResponse(await upload(request));
}

async function upload(request: Request) {
  // A page of another site posting with the visitor's cookies (lib/http/origin.ts); answered in this
  // route's own error shape ({ error: "message" }), which the upload panel reads.
  const foreign = foreignOrigin(request.headers);
  if (foreign) return uploadError(403, foreign);
  let ctx;
  try {
    ctx = await requireTeam("MEMBER");
  } catch (err) {
    // Refuse before reading the body, so an unauthorised sender does not stream 200 MB for nothing.
    if (err instanceof UnauthenticatedError) return uploadError(401, err.message);
    if (err instanceof ForbiddenError) return uploadError(403, err.message);
    return uploadError(500, toUserMessage(err));
  }
  return handleUpload(request, { teamId: ctx.team.id, userId: ctx.user.id });
}
