// GET /api/files/:id/problems.csv without a server: signed out, another team's file, and the team's
// own file's problems (those on its row, formula-safe and quoted), with the export in the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedTeam } from "@/lib/results/results.fixtures";
import { problemsCsvResponse, type Viewer } from "./handlers";

let h: DbHandle;
let mine: Viewer;
let theirs: Viewer;
let fileId: string;
const url = () => new URL(`http://localhost/api/files/${fileId}/problems.csv`);

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "pa");
  const other = await seedTeam(h.prisma, "pb");
  mine = { team: { id: t.team.id, name: "Mine", personal: true }, user: { id: t.user.id } };
  theirs = { team: { id: other.team.id, name: "Theirs", personal: true } };
  const f = await h.prisma.inputFile.create({
    data: {
      teamId: t.team.id,
      name: "bad.jsonl",
      format: "jsonl",
      bytes: 10n,
      endpoint: "/v1/chat/completions",
      status: "invalid",
      problemCount: 2,
      problems: [
        { line: 1, field: "custom_id", message: 'custom_id "a" is used twice, first on line 1' },
        { line: 3, message: "=cmd" },
      ],
    },
  });
  fileId = f.id;
});
afterAll(async () => {
  await h?.close();
});

describe("problems.csv", () => {
  it("answers 401 signed out and 404 for another team's file", async () => {
    expect((await problemsCsvResponse(null, h.prisma, fileId, url())).status).toBe(401);
    expect((await problemsCsvResponse(theirs, h.prisma, fileId, url())).status).toBe(404);
  });

  it("writes every problem of the file as CSV, and records the export", async () => {
    const res = await problemsCsvResponse(mine, h.prisma, fileId, url());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain('filename="bad-problems.csv"');
    expect(await res.text()).toBe('line,field,message\r\n1,custom_id,"custom_id ""a"" is used twice, first on line 1"\r\n3,,\'=cmd\r\n');
    expect(await h.prisma.auditEvent.count({ where: { action: "file.exported", targetId: fileId } })).toBe(1);
  });
});
