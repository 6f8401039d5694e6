// Deleting a file of the team, to make room under its storage quota. Members and above may; a file
// a batch was launched from stays (the batch's results are read beside its requests), and so does
// one still being uploaded. Another team's file is "not found".
import "server-only";
import type { TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { audit } from "@/lib/audit";
import type { Db } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import { plural } from "./format";

export async function deleteFile(prisma: Db, ctx: { team: { id: string } & Partial<TeamContext["team"]>; user: { id: string } & Partial<TeamContext["user"]>; role: TeamContext["role"] }, fileId: string): Promise<{ name: string; bytes: number }> {
  if (!can.run(ctx.role)) throw new UserError("Deleting files needs the member role or above.");
  const file = await prisma.inputFile.findFirst({
    where: { id: fileId, teamId: ctx.team.id },
    select: { id: true, name: true, bytes: true, status: true, _count: { select: { batches: true } } },
  });
  if (!file) throw new NotFoundError("That file");
  if (file.status === "uploading") throw new UserError("This file is still being uploaded. Wait for it to end, then delete it.");
  const batches = file._count.batches;
  if (batches > 0) throw new UserError(`${plural(batches, "batch", "batches")} ran on this file: it stays while they do, since their results are shown beside its requests.`);
  // A batch launched meanwhile keeps the file: the statement deletes only a file no batch uses (requests cascade).
  const { count } = await prisma.inputFile.deleteMany({ where: { id: file.id, teamId: ctx.team.id, status: { not: "uploading" }, batches: { none: {} } } });
  if (count === 0) throw new UserError("A batch was just launched on this file: it stays while the batch does.");
  await audit(prisma, { teamId: ctx.team.id, actorId: ctx.user.id, action: "file.deleted", targetType: "file", targetId: file.id, targetLabel: file.name, data: { name: file.name, bytes: Number(file.bytes) } });
  return { name: file.name, bytes: Number(file.bytes) };
}
