// The launch form's files: the team's valid ones, newest first, the same content offered once.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { seedTeam } from "@/lib/results/results.fixtures";
import { launchOptions } from "./launch-options";

let h: DbHandle;
let team: Awaited<ReturnType<typeof seedTeam>>;

beforeAll(async () => {
  h = await createTestDb();
  team = await seedTeam(h.prisma, "a");
});

afterAll(async () => {
  await h?.close();
});

it("offers a file uploaded twice (before uploads were de-duplicated) once, as its newest upload", async () => {
  const file = (name: string, sha256: string | null, at: string, endpoint = "/v1/chat/completions") =>
    h.prisma.inputFile.create({
      data: { teamId: team.team.id, name, format: "jsonl", bytes: 10n, endpoint, status: "valid", sha256, createdAt: new Date(at) },
    });
  await file("bom.jsonl", "abc", "2026-12-01T00:00:00Z");
  const newest = await file("bom.jsonl", "abc", "2026-12-02T00:00:00Z");
  await file("embeddings.jsonl", "abc", "2026-12-01T12:00:00Z", "/v1/embeddings");
  await file("old.jsonl", null, "2026-11-01T00:00:00Z");
  await file("old.jsonl", null, "2026-11-02T00:00:00Z");

  const { files } = await launchOptions(h.prisma, team.team.id);
  const ours = files.filter((f) => ["bom.jsonl", "embeddings.jsonl", "old.jsonl"].includes(f.name));
  expect(ours.map((f) => f.name)).toEqual(["bom.jsonl", "embeddings.jsonl", "old.jsonl", "old.jsonl"]);
  expect(ours[0].id).toBe(newest.id);
  expect(ours[0]).not.toHaveProperty("sha256");
});
