// The token worker (count-worker.mjs on node:worker_threads): its counts are the server thread's,
// the BPE tables are built there and not on this thread, and TokenTally's batches and per-request
// answers add up to what requestTokens counts inline.
import { describe, expect, it } from "vitest";
import { countHere, countTexts, offThread } from "./off-thread";
import { TokenTally } from "./file";
import { requestTokens } from "./request";
import { tokenCounter } from "./tokenizer";

const texts = [
  "你好!有什么可以帮助你的吗?",
  "What is 2+2?   \n\n  Answer in    one word.\t\t",
  'const x = {"a": [1, 2, 3]}; // 批处理 推理 模型 1234567890 3.14159',
  "Ünïcödé façade — naïve résumé 🚀🚀 emoji's here isn't it? I'LL DO IT'S",
  "3f9a1c7be2d4".repeat(60),
  "",
];

describe("the token worker", () => {
  it("counts on a thread of its own, exactly as this thread does, without building a table here", async () => {
    expect(offThread()).toBe(true);
    // Three requests: texts 0-1, none, 2-5.
    const ends = [2, 2, 6];
    const o200k = await countTexts("o200k_base", texts, ends);
    const cl100k = await countTexts("cl100k_base", texts, ends);
    expect(o200k[1]).toBe(0);
    expect(o200k[0]).toBeGreaterThan(10);
    // This thread built no table for the two counts above: they were made on the worker.
    const counters = (globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>)[Symbol.for("batchboard.tokens.counters")];
    expect(counters?.size ?? 0).toBe(0);
    expect(await countHere("o200k_base", texts, ends)).toEqual(o200k);
    expect(await countHere("cl100k_base", texts, ends)).toEqual(cl100k);
    expect(o200k).not.toEqual(cl100k);
  });

  it("adds up a tally of 2,500 requests over several batches and models as requestTokens counts them inline", async () => {
    const bodies = Array.from({ length: 2500 }, (_, i) => ({
      model: i % 3 === 0 ? "gpt-4" : "gpt-4o-mini",
      messages: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: `${texts[i % texts.length]} request ${i}` }],
      ...(i % 2 ? { max_tokens: 50 } : {}),
    }));
    const tally = new TokenTally("/v1/chat/completions");
    const each: number[] = new Array(bodies.length).fill(-1);
    for (const [i, b] of bodies.entries()) await tally.add(null, b, (n) => (each[i] = n));
    const v = await tally.done("file-1");
    const cl = await tokenCounter("cl100k_base");
    const o = await tokenCounter("o200k_base");
    const inline = bodies.map((b) => requestTokens("/v1/chat/completions", b, b.model === "gpt-4" ? cl : o).input);
    expect(each).toEqual(inline);
    const gpt4 = v.models.find((m) => m.model === "gpt-4")!;
    const mini = v.models.find((m) => m.model === "gpt-4o-mini")!;
    expect(gpt4).toMatchObject({ encoding: "cl100k_base", requests: 834, inputTokens: inline.filter((_, i) => i % 3 === 0).reduce((a, n) => a + n, 0) });
    expect(mini).toMatchObject({ encoding: "o200k_base", requests: 1666, inputTokens: inline.filter((_, i) => i % 3 !== 0).reduce((a, n) => a + n, 0) });
    expect(gpt4.maxOutputTokens + mini.maxOutputTokens).toBe(1250 * 50);
    expect(v).toMatchObject({ fileId: "file-1", requests: 2500 });
  });
});
