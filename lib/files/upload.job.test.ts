// Issue 18: a file over a provider's per-batch limits is uploadable when the target can split it
// into a job of parts (profiles.ts JOB_LIMITS, jobLimitsFor): it is valid, with a warning that says
// so, and the launch form's split rule (splittable.ts) offers the job. A target that cannot split
// (Anthropic) still refuses it as one batch would.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { createTestDb } from "@/lib/test/db";
import { planFileParts } from "@/lib/batches/split";
import { splitCanFix } from "@/lib/batches/splittable";
import { anthropicProfile } from "@/lib/providers/anthropic/profile";
import { sandboxProfile } from "@/lib/providers/sandbox/profile";
import { anyProviderJobLimits, JOB_LIMITS, jobLimitsFor, uploadLimits } from "@/lib/providers/profiles";
import { handleUpload } from "./upload";
import { doneFile, uploadRequest } from "./upload.fixtures";
import { JOB_NOTE_CODE } from "./validate-jsonl";

let h: DbHandle;
let teamId: string;
let userId: string;
let sandboxId: string;
let anthropicId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-upload-job-"));
const CHAT = "/v1/chat/completions";

beforeAll(async () => {
  h = await createTestDb();
  const user = await h.prisma.user.create({ data: { email: `job-${Date.now()}@example.com`, name: "Job", passwordHash: "x" } });
  const team = await h.prisma.team.create({ data: { name: "Job team" } });
  teamId = team.id;
  userId = user.id;
  const conn = (kind: string, name: string, baseUrl: string) =>
    h.prisma.providerConnection.create({ data: { teamId, kind, name, baseUrl, encryptedKey: "v1:x:y:z", keyLast4: "abcd" } });
  sandboxId = (await conn("sandbox", "Sandbox", "builtin")).id;
  anthropicId = (await conn("anthropic", "Claude", "https://api.anthropic.com")).id;
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** n tiny chat requests (about 100 bytes each), one model. */
function tinyFile(n: number, from = 0): string {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) out.push(`{"custom_id":"r${i}","method":"POST","url":"${CHAT}","body":{"model":"m","messages":[{"role":"user","content":"x"}]}}`);
  return out.join("\n") + "\n";
}

function upload(content: string, target: string | null) {
  return handleUpload(uploadRequest(content, { endpoint: CHAT, query: target ? `?connection=${target}` : "" }), { teamId, userId }, { dataDir, countTokens: false });
}

describe("the job limits", () => {
  it("are Batchboard's where the target splits, at most what 200 parts of one batch hold, and none where it cannot split", () => {
    expect(JOB_LIMITS).toMatchObject({ maxRequests: 2_000_000, maxFileBytes: 2 * 1024 * 1024 * 1024, maxParts: 200 });
    expect(jobLimitsFor(sandboxProfile.limits, sandboxProfile.capabilities.split)).toEqual({ maxRequests: 2_000_000, maxFileBytes: 2 * 1024 * 1024 * 1024 });
    expect(jobLimitsFor({ maxRequests: 3, maxFileBytes: 4096 }, true)).toEqual({ maxRequests: 600, maxFileBytes: 819_200 });
    expect(jobLimitsFor(anthropicProfile.limits, anthropicProfile.capabilities.split)).toBeNull();
    // "Any provider": some profile splits, so a file may be a job.
    expect(anyProviderJobLimits).toEqual({ maxRequests: 2_000_000, maxFileBytes: 2 * 1024 * 1024 * 1024 });
    expect(uploadLimits.maxRequests).toBe(100_000);
  });
});

describe("an upload over one batch's limits", () => {
  it("for the Sandbox (50,000 a batch): 50,001 requests are valid, with the note that it will be launched as a job, and the launch offers the split", async () => {
    const f = await doneFile(await upload(tinyFile(50_001), sandboxId));
    expect(f).toMatchObject({ status: "valid", requestCount: 50_001, problemCount: 0, warningCount: 1 });
    expect(f.warnings).toEqual([
      { line: 50_001, code: JOB_NOTE_CODE, message: "This is request 50,001, over Sandbox (built in)'s limit of 50,000 per batch: the file will be launched as a job of parts" },
    ]);
    // Kept on the file, for its page.
    const row = await h.prisma.inputFile.findUniqueOrThrow({ where: { id: f.id }, select: { warnings: true, warningCount: true, status: true } });
    expect(row).toMatchObject({ status: "valid", warningCount: 1, warnings: f.warnings });
    // The launch form offers the split (its rule), and the planner cuts it into 2 parts of at most 50,000.
    expect(splitCanFix(sandboxProfile, { endpoint: CHAT, requestCount: f.requestCount, bytes: f.bytes, models: f.models })).toBe(true);
    const plan = await planFileParts(h.prisma, f.id, CHAT, sandboxProfile);
    expect(plan.parts.map((p) => p.requests)).toEqual([50_000, 1]);
    expect(plan.reasons).toEqual(["requests"]);
  }, 60_000);

  it("for any provider: 120,000 requests are valid (over the 100,000 any one provider takes in a batch)", async () => {
    const started = performance.now();
    const f = await doneFile(await upload(tinyFile(120_000, 1_000_000), null));
    expect(f).toMatchObject({ status: "valid", requestCount: 120_000, problemCount: 0, warningCount: 1, checkedFor: null });
    expect(f.warnings).toEqual([
      { line: 100_001, code: JOB_NOTE_CODE, message: "This is request 100,001, over the 100,000 requests any one provider takes in a batch: the file will be launched as a job of parts" },
    ]);
    expect(await h.prisma.request.count({ where: { fileId: f.id } })).toBe(120_000);
    console.info(`120,000 requests uploaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 60_000);

  it("for a provider that cannot split (Anthropic), is still refused as one batch would be", async () => {
    // Anthropic takes 100,000 a batch; its limit is lowered here so the file stays small (restored after).
    const saved = anthropicProfile.limits.maxRequests;
    anthropicProfile.limits.maxRequests = 3;
    try {
      const f = await doneFile(await upload(tinyFile(4), anthropicId));
      expect(f.status).toBe("invalid");
      expect(f.problems).toEqual([{ line: 4, message: "Too many requests: Claude (Anthropic) takes at most 3; this is request 4" }]);
      expect(f.warnings ?? []).toEqual([]);
    } finally {
      anthropicProfile.limits.maxRequests = saved;
    }
  });
});
