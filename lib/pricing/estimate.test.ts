// The cost of one file on each of the team's connections, side by side, on a real database: the
// team's own price beats the built-in one, a provider without a price for the model says so, a
// window a connection does not offer falls back to its default, and another team's file is
// "not found".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import type { TeamContext } from "@/lib/auth/context";
import { createTestDb } from "@/lib/test/db";
import { ctxOf, makeUser, useTempDataDir } from "@/lib/teams/fixtures";
import { tokenCounter } from "@/lib/tokens/tokenizer";
import { connectionCost, formatMoney } from "./cost";
import { estimateFileCost } from "./estimate";
import { addPrice } from "./prices";

let h: DbHandle;
let ctx: TeamContext;
let other: TeamContext;
let fileId: string;

beforeAll(async () => {
  useTempDataDir();
  h = await createTestDb();
  const o = await makeUser(h.prisma, "Owner");
  ctx = await ctxOf(h.prisma, o.user.id, o.team.id);
  const x = await makeUser(h.prisma, "Other");
  other = await ctxOf(h.prisma, x.user.id, x.team.id);
  const mk = (kind: string, name: string, baseUrl: string) =>
    h.prisma.providerConnection.create({ data: { teamId: o.team.id, kind, name, baseUrl, encryptedKey: "v1:x:y:z", keyLast4: "abcd" } });
  await mk("openai", "OpenAI", "https://api.openai.com/v1");
  await mk("doubleword", "Doubleword", "https://api.doubleword.ai/v1");
  await mk("bailian", "Qwen", "https://dashscope.aliyuncs.com/compatible-mode/v1");
  const file = await h.prisma.inputFile.create({
    data: { teamId: o.team.id, name: "q.jsonl", format: "jsonl", bytes: 1000n, lineCount: 200, requestCount: 200, endpoint: "/v1/chat/completions", models: ["gpt-4o-mini"], status: "valid" },
  });
  fileId = file.id;
  await h.prisma.request.createMany({
    data: Array.from({ length: 200 }, (_, i) => ({
      fileId,
      line: i + 1,
      customId: `r${i}`,
      model: "gpt-4o-mini",
      // Half set max_tokens: 100; the other half leave the output unknown.
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hello world" }], ...(i % 2 ? { max_tokens: 100 } : {}) },
    })),
  });
});
afterAll(() => h.close());

describe("estimateFileCost", () => {
  it("prices the file on every connection, marks the ones without a price, and puts the chosen one first", async () => {
    const openaiId = (await h.prisma.providerConnection.findFirstOrThrow({ where: { teamId: ctx.team.id, kind: "openai" } })).id;
    const e = await estimateFileCost(h.prisma, ctx, { fileId, window: "1h", connectionId: openaiId }, { cacheDir: null });
    const o = await tokenCounter("o200k_base");
    expect(o.count("hello world")).toBe(2);
    // 3 + 1 ("user") + 2 + 3 = 9 tokens a request, counted with gpt-4o-mini's own tokenizer.
    expect(e.tokens.models).toEqual([expect.objectContaining({ model: "gpt-4o-mini", exact: true, requests: 200, inputTokens: 1800, maxOutputTokens: 10_000, withoutMax: 100 })]);
    expect(e.hasOutput).toBe(true);
    expect(e.connections.map((c) => c.kind)).toEqual(["openai", "sandbox", "doubleword", "bailian"]);

    const [openai, sandbox, doubleword, bailian] = e.connections;
    // OpenAI offers no 1h window: priced at its 24h.
    expect(openai).toMatchObject({ window: "24h", windowNote: "1h is not offered: priced at 24h" });
    expect(openai.prices[0].price).toMatchObject({ origin: "builtin", inputPerMTok: 0.075, outputPerMTok: 0.3, currency: "USD" });
    expect(sandbox.window).toBe("1h");
    expect(doubleword.prices[0].price).toBeNull();
    expect(bailian.prices[0].price).toBeNull();

    // input 1,800 tokens; output 10,000 (max_tokens) + 100 x 500 assumed = 60,000.
    const cost = connectionCost(e.tokens.models, openai, 500);
    expect(cost.missing).toEqual([]);
    expect(cost.amounts).toHaveLength(1);
    expect(cost.amounts[0].input).toBeCloseTo((1800 * 0.075) / 1e6, 12);
    expect(cost.amounts[0].output).toBeCloseTo((60_000 * 0.3) / 1e6, 12);
    expect(formatMoney(cost.amounts[0].total, "USD")).toBe("$0.018");
    // In the reader's locale: a Chinese reader's dollars are US$, their yuan ¥ (an English reader's CN¥).
    expect(formatMoney(cost.amounts[0].total, "USD", "zh-CN")).toBe("US$0.018");
    expect(formatMoney(1234.5, "CNY", "zh-CN")).toBe("¥1,234.50");
    expect(formatMoney(1234.5, "CNY")).toBe("CN¥1,234.50");
    expect(formatMoney(0.0042, "EUR", "zh-CN")).toBe("€0.0042");
    expect(formatMoney(12.5, "CHF")).toBe("CHF\u00a012.50"); // a no-break space
    // A shorter assumption lowers only the unknown part.
    expect(connectionCost(e.tokens.models, openai, 0).amounts[0].output).toBeCloseTo((10_000 * 0.3) / 1e6, 12);
    expect(connectionCost(e.tokens.models, doubleword, 500)).toMatchObject({ amounts: [], missing: ["gpt-4o-mini"], pricedRequests: 0 });
    expect(connectionCost(e.tokens.models, sandbox, 500).amounts[0].total).toBe(0);
  });

  it("uses the team's own prices, including Doubleword's derived 1h price", async () => {
    await addPrice(h.prisma, ctx, { providerKind: "doubleword", model: "gpt-4o-mini", window: "24h", currency: "USD", inputPerMTok: 0.02, outputPerMTok: 0.08 });
    await addPrice(h.prisma, ctx, { providerKind: "openai", model: "gpt-4o-mini", window: "", currency: "USD", inputPerMTok: 1, outputPerMTok: 2 });
    const e = await estimateFileCost(h.prisma, ctx, { fileId, window: "1h" }, { cacheDir: null });
    const dw = e.connections.find((c) => c.kind === "doubleword")!;
    expect(dw.window).toBe("1h");
    expect(dw.prices[0].price).toMatchObject({ origin: "team", inputPerMTok: 0.03, outputPerMTok: 0.12 });
    expect(dw.prices[0].price?.derived).toContain("50% more");
    expect(e.connections.find((c) => c.kind === "openai")!.prices[0].price).toMatchObject({ origin: "team", inputPerMTok: 1 });
    const at24 = await estimateFileCost(h.prisma, ctx, { fileId, window: "24h" }, { cacheDir: null });
    expect(at24.connections.find((c) => c.kind === "doubleword")!.prices[0].price).toMatchObject({ inputPerMTok: 0.02 });
  });

  it("answers not found for another team's file", async () => {
    await expect(estimateFileCost(h.prisma, other, { fileId }, { cacheDir: null })).rejects.toThrow("That file was not found.");
  });
});
