// A broken file's problems and warnings are stored in English (FileProblem rows, the file's row) and
// worded at render in the reader's language through the server messages' catalogue: the file's page,
// the upload's answer and the problems CSV. Real files here, checked by the upload's own validators.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvToJsonl } from "@/lib/csv/convert";
import { csvMapping } from "@/lib/csv/mapping";
import { entryFor, localize, localizeProblems } from "@/lib/i18n/server-messages";
import { uploadLimits } from "@/lib/providers/profiles";
import { validateJsonl, type ValidationLimits } from "./validate-jsonl";
import type { Problem } from "./types";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-problems-i18n-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const write = (content: string, ext: string) => {
  const p = path.join(dir, `f${n++}.${ext}`);
  fs.writeFileSync(p, content);
  return p;
};

const chat = "/v1/chat/completions";
const line = (o: unknown) => JSON.stringify(o);
const ok = (id: string, body: Record<string, unknown> = { model: "m1", messages: [{ role: "user", content: "hi" }] }) => ({ custom_id: id, method: "POST", url: chat, body });

/** Chinese with no English sentence left: names (custom_id, body.model, JSON, quoted values) may stay. */
function expectChinese(problems: Problem[]) {
  for (const p of problems) {
    expect(entryFor(p.message), `no catalogue entry for: ${p.message}`).toBeDefined();
    const zh = localize(p.message, "zh-CN");
    expect(zh, p.message).toMatch(/[\u4e00-\u9fff]/);
    // JSON.parse's own words (V8's, English) after "not valid JSON:" stay as the parser wrote them.
    const withoutNames = zh.replace(/有效的 JSON：.*$/, "").replace(/"[^"]*"|“[^”]*”|\{[^}]*\}|[\w./-]*[._/][\w./-]*|custom_id|JSON|POST|ASCII|UTF-8|GB18030|CSV|Excel|NUL|Acme|m\d/g, "");
    expect(withoutNames, `English left in: ${zh}`).not.toMatch(/[A-Za-z]{3,}\s+[A-Za-z]{3,}/);
  }
}

describe("a broken JSONL file's problems in Chinese", () => {
  const limits: ValidationLimits = { ...uploadLimits, label: "Acme", maxRequests: 30, maxCustomIdLength: 8, asciiCustomId: true, oneModelPerBatch: true };

  it("words every problem the validator stores", async () => {
    const file = write(
      [
        "not json",
        "[1]",
        line({ method: "POST", url: chat, body: {} }),
        line({ custom_id: 5, method: "GET", url: "/v1/embeddings", body: [] }),
        line({ custom_id: "", url: chat }),
        line({ custom_id: "much-too-long-é", method: "POST", body: { model: 3, messages: "x" } }),
        line(ok("a")),
        line(ok("a", { model: "", messages: [] })),
        line(ok("b", { model: "m2", messages: [{ role: "user", content: "x" }] })),
        line(ok("c", { messages: [{ role: "user", content: "x" }] })),
        "This line has a NUL \u0000 byte",
        line(ok("d", { model: "m1", messages: [{ role: "user", content: "x\u0000" }] })).replace("x\\u0000", "x\\u0000"),
      ].join("\n"),
      "jsonl",
    );
    const r = await validateJsonl(file, { limits, endpoint: chat });
    expect(r.valid).toBe(false);
    expect(r.problems.length).toBeGreaterThan(15);
    expectChinese(r.problems);
    const zh = localizeProblems(r.problems, "zh-CN").map((p) => p.message);
    expect(zh).toContain("custom_id 使用了两次：第一次在第 7 行，又在第 8 行".replace("custom_id", 'custom_id "a"'));
    expect(zh).toContain("缺少 body.model");
    expect(zh).toContain("custom_id 必须是字符串，而不是数字");
    expect(zh.some((m) => m.startsWith("此行不是有效的 JSON："))).toBe(true);
  });

  it("words an empty file, a blank one and its warnings", async () => {
    const empty = await validateJsonl(write("", "jsonl"), { limits, endpoint: chat });
    const blank = await validateJsonl(write("\n\n", "jsonl"), { limits, endpoint: chat });
    expectChinese([...empty.problems, ...blank.problems]);
    expect(localize(empty.problems[0].message, "zh-CN")).toBe("文件为空：没有任何请求");
    const warned = await validateJsonl(write([line(ok("w1", { model: "m1", messages: [{ role: "user", content: "x" }], temperature: 9 })), line(ok("w2", { model: "m1", messages: [{ role: "user", content: "x" }], top_p: "high" }))].join("\n"), "jsonl"), { limits, endpoint: chat });
    expect(warned.valid).toBe(true);
    expect(warned.warnings.length).toBe(2);
    expectChinese(warned.warnings);
    expect(localize(warned.warnings[0].message, "zh-CN")).toBe("body.temperature 为 9；提供商接受的值为0 到 2 之间，因此此请求很可能失败");
  });

  it("leaves the English as it is for an English reader", async () => {
    const r = await validateJsonl(write("not json", "jsonl"), { limits, endpoint: chat });
    expect(localizeProblems(r.problems, "en")).toEqual(r.problems);
  });
});

describe("a broken CSV file's problems in Chinese", () => {
  it("words the converter's problems", async () => {
    const mapping = csvMapping.parse({ customId: { from: "column", column: "id" }, template: "{{q}}", model: "m1" });
    const csv = ["id,q", "1,hello", "2", "1,again", '3,"x"y', "4,a,b"].join("\n");
    const r = await csvToJsonl(write(csv, "csv"), mapping, path.join(dir, `out${n++}.jsonl`));
    expect(r.problems.length).toBeGreaterThanOrEqual(4);
    expectChinese(r.problems);
    const zh = localizeProblems(r.problems, "zh-CN").map((p) => p.message);
    expect(zh).toContain("此行有 1 个单元格；表头有 2 列。单元格内有换行时，需要用双引号括起该单元格");
    const empty = await csvToJsonl(write("", "csv"), mapping, path.join(dir, `out${n++}.jsonl`));
    expectChinese(empty.problems);
  });
});
