// The overview's routes without a server: signed out 401, a bad `since` 400 naming it, the team's own
// figures only, and the spend as CSV (one row per day, provider and currency) with a file name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { sampleRows, seedBatch, seedTeam } from "@/lib/results/results.fixtures";
import { overviewResponse, spendCsvResponse, type Viewer } from "./handlers";

let h: DbHandle;
let a: Viewer;
let b: Viewer;
const url = (path: string) => new URL(`http://localhost${path}`);

beforeAll(async () => {
  h = await createTestDb();
  const ta = await seedTeam(h.prisma, "a");
  const tb = await seedTeam(h.prisma, "b");
  a = { team: { id: ta.team.id, name: "A", personal: true }, role: "VIEWER", user: { id: ta.user.id, email: "a@example.test", name: "A" } };
  b = { team: { id: tb.team.id, name: "B", personal: true }, role: "OWNER", user: { id: tb.user.id, email: "b@example.test", name: "B" } };
  await h.prisma.price.create({ data: { teamId: ta.team.id, providerKind: "sandbox", model: "batch-test-model", inputPerMTok: 1000, outputPerMTok: 2000 } });
  await seedBatch(h.prisma, ta, sampleRows, { name: "Alpha batch", createdAt: new Date(Date.now() - 86_400_000) });
});

afterAll(async () => {
  await h?.close();
});

describe("overview routes", () => {
  it("answer 401 signed out and 400 for a bad since", async () => {
    expect((await overviewResponse(null, h.prisma, url("/api/overview"))).status).toBe(401);
    expect((await spendCsvResponse(null, h.prisma, url("/api/overview/spend.csv"))).status).toBe(401);
    const bad = await overviewResponse(a, h.prisma, url("/api/overview?since=yesterday"));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/"since" must be a date and time/);
  });

  it("serve the team's own figures, and mark no visit", async () => {
    const mine = await (await overviewResponse(a, h.prisma, url("/api/overview?period=7d&by=model"))).json();
    expect(mine).toMatchObject({ period: "7d", by: "model", totals: { batches: 1, tokens: 90 * 26 } });
    const theirs = await (await overviewResponse(b, h.prisma, url("/api/overview"))).json();
    expect(theirs.totals.batches).toBe(0);
    expect(JSON.stringify(theirs)).not.toContain("Alpha batch");
    const m = await h.prisma.membership.findFirstOrThrow({ where: { teamId: a!.team.id } });
    expect(m.overviewSeenAt).toBeNull();
  });

  it("send the spend as CSV", async () => {
    const res = await spendCsvResponse(a, h.prisma, url("/api/overview/spend.csv?period=30d&by=provider"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="spend-last-30-days-by-provider.csv"');
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        period_start: expect.stringMatching(/T00:00:00.000Z$/),
        provider: "sandbox",
        provider_label: "Sandbox (built in)",
        currency: "USD",
        cost: ((90 * 20 * 1000 + 90 * 6 * 2000) / 1e6).toFixed(6),
        tokens: String(90 * 26),
      },
    ]);
  });
});
