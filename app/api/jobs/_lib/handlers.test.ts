// The /api/jobs answers without a server: signed out, another team's job, a NUL in the id, and the
// team's own job as JSON and as one CSV of its parts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { jobCsvResponse, jobResponse, type Viewer } from "./handlers";

let h: DbHandle;
let mine: Viewer;
let theirs: Viewer;
const jobId = "job_handlers_test";

const url = (q = "") => new URL(`http://localhost/api/jobs/${jobId}/export.csv${q}`);

beforeAll(async () => {
  h = await createTestDb();
  const t = await seedTeam(h.prisma, "a");
  const other = await seedTeam(h.prisma, "b");
  mine = { team: { id: t.team.id, name: "Mine", personal: true } };
  theirs = { team: { id: other.team.id, name: "Theirs", personal: true } };
  const first = await seedBatch(h.prisma, t, [
    { customId: "1", prompt: "one", result: { ok: true, content: "uno" } },
    { customId: "2", prompt: "two", result: { ok: false, code: "server_error", message: "boom" } },
  ]);
  await h.prisma.job.create({ data: { id: jobId, teamId: t.team.id, name: "Übersetzung", inputFileId: first.file.id, createdById: t.user.id, plannedParts: 2 } });
  await h.prisma.batch.update({ where: { id: first.batch.id }, data: { jobId, jobPart: 1 } });
  await seedBatch(h.prisma, t, [{ customId: "3", prompt: "three", result: { ok: true, content: "tres" } }], { jobId, jobPart: 2 });
});

afterAll(async () => {
  await h?.close();
});

describe("job routes", () => {
  it("answer 401 when signed out", async () => {
    for (const res of [await jobResponse(null, h.prisma, jobId), await jobCsvResponse(null, h.prisma, jobId, url())]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { message: "Please sign in again." } });
    }
  });

  it("answer 404 for another team's job, or none", async () => {
    for (const res of [
      await jobResponse(theirs, h.prisma, jobId),
      await jobCsvResponse(theirs, h.prisma, jobId, url()),
      await jobResponse(mine, h.prisma, "job_none"),
      await jobCsvResponse(mine, h.prisma, "job_none", url()),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ error: { message: "Job not found." } });
    }
  });

  it("answer 400 for a NUL in the id or a parameter, naming it", async () => {
    for (const res of [await jobResponse(mine, h.prisma, "job\u0000"), await jobCsvResponse(mine, h.prisma, "job\u0000", url())]) {
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/The parameter "id" holds a NUL/);
    }
    const bom = await jobCsvResponse(mine, h.prisma, jobId, url("?bom=1%00"));
    expect(bom.status).toBe(400);
    expect((await bom.json()).error.message).toMatch(/The parameter "bom" holds a NUL/);
  });

  it("serve the team's own job with its parts, not to be cached", async () => {
    const res = await jobResponse(mine, h.prisma, jobId);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const view = await res.json();
    expect(view).toMatchObject({ id: jobId, name: "Übersetzung", plannedParts: 2, total: 3, resultCount: 3, status: "COMPLETED" });
    expect(view.parts.map((p: { part: number }) => p.part)).toEqual([1, 2]);
  });

  it("stream every part's results as one CSV, one header, parts in order, a BOM when asked", async () => {
    const res = await jobCsvResponse(mine, h.prisma, jobId, url("?bom=1"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="Ubersetzung-results.csv"; filename*=UTF-8''${encodeURIComponent("Übersetzung-results.csv")}`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.subarray(3).toString("utf8"));
    expect(rows.map((r) => r[0])).toEqual(["custom_id", "1", "2", "3"]);
  });
});
