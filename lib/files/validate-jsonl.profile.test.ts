// Upload validation with a chosen provider's limits (the upload panel's "Check for").
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { profileOf, uploadLimitsFor } from "@/lib/providers/profiles";
import { validateJsonl } from "./validate-jsonl";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-validate-profile-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const line = (id: string, model: string) =>
  JSON.stringify({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content: "hi" }] } });

async function check(kind: string, lines: string[]) {
  const p = path.join(dir, `${kind}-${Math.random()}.jsonl`);
  fs.writeFileSync(p, lines.join("\n") + "\n");
  const limits = { ...uploadLimitsFor(profileOf(kind)), label: profileOf(kind).label };
  return validateJsonl(p, { limits, endpoint: "/v1/chat/completions" });
}

describe("validateJsonl with a provider's limits", () => {
  it("Moonshot and Bailian: one model per batch, named on the line where a second one appears", async () => {
    const r = await check("moonshot", [line("a", "kimi"), line("b", "kimi"), line("c", "other")]);
    expect(r.problems).toEqual([
      { line: 3, field: "body.model", message: 'Moonshot (Kimi) takes one model per batch: "other" differs from "kimi" on line 1' },
    ]);
    expect((await check("openai", [line("a", "x"), line("b", "y")])).valid).toBe(true);
  });

  it("Doubleword: custom_id at most 64 ASCII characters", async () => {
    expect((await check("doubleword", [line("x".repeat(64), "m")])).valid).toBe(true);
    const r = await check("doubleword", [line("x".repeat(65), "m"), line("é", "m")]);
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([
      [1, "custom_id is 65 characters, over Doubleword's limit of 64"],
      [2, "custom_id must be plain ASCII for Doubleword"],
    ]);
  });
});
