// The server's messages in Chinese: localize's matching, and a scan of lib/ and app/ that fails on a
// message a person may read with no catalogue entry, so a new one cannot land untranslated.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { entryFor, localize, localizeFields, placeholdersOf, SENTENCE_PLACEHOLDERS, WORD_PLACEHOLDERS } from "./server-messages";
import { PLACEHOLDER_TOKEN, scanMessages } from "./server-messages.scan";
import { zhCN, zhWords } from "./server-messages.zh-CN";

const root = path.resolve(import.meta.dirname, "../..");

describe("localize", () => {
  it("translates an exact message and leaves English as it is", () => {
    expect(localize("Please sign in again.", "zh-CN")).toBe("请重新登录。");
    expect(localize("Please sign in again.", "en")).toBe("Please sign in again.");
  });

  it("falls back to the English for text it does not know", () => {
    expect(localize("Something nobody wrote down.", "zh-CN")).toBe("Something nobody wrote down.");
    expect(localize("", "zh-CN")).toBe("");
  });

  it("fills a pattern's placeholders with what the English held", () => {
    expect(localize('This team already has a connection named "Kimi 主账号". Choose another name.', "zh-CN")).toBe("此团队已有名为“Kimi 主账号”的连接。请换一个名称。");
    expect(localize("Line 12: custom_id must be plain ASCII for Alibaba Bailian.", "zh-CN")).toBe("第 12 行：对 Alibaba Bailian 而言，custom_id 必须是纯 ASCII。");
  });

  it("translates a captured word where the placeholder is a word (a role, a unit)", () => {
    expect(localize("Your role in this team cannot do that (it needs admin or above).", "zh-CN")).toBe("你在此团队中的角色无法执行此操作（需要管理员或更高角色）。");
    expect(localize("Too many attempts. Try again in 5 minutes.", "zh-CN")).toBe("尝试次数过多。请在 5 分钟后重试。");
    expect(localize("Max file size must be at most 1,000,000 bytes.", "zh-CN")).toBe("最大文件大小最多为 1,000,000 字节。");
  });

  it("words the app's own names (the built-in Sandbox, a custom service) inside a captured name, as pages do", () => {
    expect(localize("Sandbox (built in) does not offer /v1/chat/ds-test; it offers /v1/chat/completions, /v1/embeddings.", "zh-CN")).toBe(
      "Sandbox（内置） 不提供 /v1/chat/ds-test；它提供 /v1/chat/completions, /v1/embeddings。",
    );
    expect(localize("Line 3: custom_id must be plain ASCII for Lab box (Custom OpenAI-compatible).", "zh-CN")).toBe("第 3 行：对 Lab box (自定义 OpenAI 兼容) 而言，custom_id 必须是纯 ASCII。");
    expect(localize("Sandbox (built in) does not offer /v1/x; it offers /v1/y.", "en")).toBe("Sandbox (built in) does not offer /v1/x; it offers /v1/y.");
  });

  it("prefers an exact entry over a pattern that would also match", () => {
    expect(localize("That batch was not found.", "zh-CN")).toBe("未找到该批次。");
    expect(localize("That widget was not found.", "zh-CN")).toBe("未找到That widget。");
    expect(localize("That item was not found.", "zh-CN")).toBe("未找到该项。");
    expect(localize("3 batches ran on this file: it stays while they do, since their results are shown beside its requests.", "zh-CN")).toMatch(/^有 3 个批次使用过此文件/);
  });

  it("translates a message made of several, sentence by sentence, keeping the unknown ones", () => {
    const joined = "Line 3 is 2.0 MB, over OpenAI's limit of 1.0 MB per line. Line 9: custom_id must be plain ASCII for OpenAI.";
    expect(localize(joined, "zh-CN")).toBe("第 3 行为 2.0 MB，超出 OpenAI 每行 1.0 MB 的限制。第 9 行：对 OpenAI 而言，custom_id 必须是纯 ASCII。");
    expect(localize("Nothing was launched: part 1 of 3 was refused. Not a known sentence.", "zh-CN")).toBe("未提交任何内容：3 个部分中的第 1 部分被拒绝。Not a known sentence.");
    expect(localize("OpenAI cannot take this file: 2 lines break its limits (lines 4, 7).", "zh-CN")).toBe("OpenAI 无法接受此文件：2 行超出其限制（第 4, 7 行）。");
  });

  it("translates a sentence placeholder as a message of its own", () => {
    expect(localize("This text contains a NUL character (\\u0000), which cannot be stored. Remove it.", "zh-CN")).toBe("此文本包含 NUL 字符（\\u0000），无法存储。请删除它。");
    expect(localize('Nothing to retry: "daily run" has no failed requests with the chosen error codes.', "zh-CN")).toBe("没有可重试的内容：“daily run”中没有失败的请求（符合所选错误代码）。");
    expect(localize('Nothing to retry: "daily run" has no failed or unfinished requests.', "zh-CN")).toBe("没有可重试的内容：“daily run”中没有失败或未完成的请求。");
  });

  it("translates a part named in a refusal", () => {
    const refusal = "Part 2 of 5 needs about 1,200,000 input tokens of gpt-4o, over Main's enqueued-token limit of 900,000 for it: it could never start. Split the file into smaller parts (launch it as a job), or raise the limit under Providers → Queue limits if your tier allows more.";
    expect(localize(refusal, "zh-CN")).toMatch(/^第 2 部分（共 5 部分）需要约 1,200,000 个 gpt-4o 的输入 token，超出 Main 对该模型 900,000/);
  });

  it("translates a reason put into a message", () => {
    expect(localize("Batchboard is holding back calls to Main for 12 s: the provider answered 429 (too many requests) and asked us to wait.", "zh-CN")).toBe(
      "Batchboard 将暂停调用 Main 12 秒：提供商返回了 429（请求过多），要求我们等待。",
    );
  });

  it("localizes field errors", () => {
    expect(localizeFields({ name: "Name the connection.", apiKey: "unknown" }, "zh-CN")).toEqual({ name: "请为连接命名。", apiKey: "unknown" });
    expect(localizeFields(undefined, "zh-CN")).toBeUndefined();
  });
});

describe("the Chinese catalogue", () => {
  it("uses in each translation only placeholders of its English", () => {
    const bad = Object.entries(zhCN).filter(([en, zh]) => placeholdersOf(zh).some((p) => !placeholdersOf(en).includes(p)));
    expect(bad.map(([en]) => en)).toEqual([]);
  });

  it("keeps every placeholder but those that only make the English plural", () => {
    // A dropped {what}/{reason} would lose words; a dropped {a} a name or number. Plural endings and
    // "it is"/"they are" have no place in Chinese.
    const droppable = new Set(["s", "b|{a} cannot use the model{b}", "d|{a} cannot use the model{b}", "c|\"{a}\" is used by"]);
    const dropped = Object.entries(zhCN).flatMap(([en, zh]) =>
      placeholdersOf(en)
        .filter((p) => !placeholdersOf(zh).includes(p))
        .filter((p) => !droppable.has(p) && ![...droppable].some((d) => d.startsWith(`${p}|`) && en.startsWith(d.slice(p.length + 1))))
        .map((p) => `${p} in ${en}`),
    );
    expect(dropped).toEqual([]);
  });

  it("is Chinese", () => {
    const untranslated = Object.entries(zhCN).filter(([, zh]) => !/[\u4e00-\u9fff]/.test(zh));
    expect(untranslated.map(([en]) => en)).toEqual([]);
    expect(Object.values(zhWords).every((w) => /[\u4e00-\u9fff]/.test(w))).toBe(true);
  });

  it("gives word and sentence placeholders names the matcher knows", () => {
    const names = Object.keys(zhCN).flatMap(placeholdersOf);
    expect(names.filter((n) => WORD_PLACEHOLDERS.test(n) && SENTENCE_PLACEHOLDERS.test(n))).toEqual([]);
  });
});

describe("a queued part's reason, stored in English, on the job page", () => {
  it("is worded in Chinese, the error it quotes too", () => {
    expect(localize("waiting for unfinished batches < 2 on Prod (3 unfinished now)", "zh-CN")).toBe("等待 Prod 上未完成的批次少于 2 个（当前有 3 个未完成）");
    expect(localize("waiting for 1.2M enqueued tokens of gpt-4o-mini to free up (9M of 10M enqueued, this needs 2.2M)", "zh-CN")).toBe("等待 gpt-4o-mini 释放 1.2M 个排队 token（已排队 9M，上限 10M，此部分需要 2.2M）");
    expect(localize("the last try did not reach the provider (Something went wrong on our side. Please try again.); trying again shortly", "zh-CN")).toBe("上一次尝试未能连接到提供商（我们这边出了问题，请重试。）；稍后将重试");
  });
});

describe("every message of lib/ and app/", () => {
  const { messages } = scanMessages(root);

  it("finds the messages (the scan itself works)", () => {
    const texts = messages.map((m) => m.text);
    expect(texts).toContain("Only the team's owners and admins can change prices.");
    expect(texts).toContain("That member was not found.");
    expect(texts).toContain(`Your role in this team cannot do that (it needs ${PLACEHOLDER_TOKEN} or above).`);
    expect(texts).toContain("Name the connection."); // a zod message
    expect(messages.length).toBeGreaterThan(250);
  });

  it("has a Chinese entry for each", () => {
    // A template literal's `${…}` may be anything: a stand-in no entry spells stands for it.
    const missing = messages
      .filter((m) => /[A-Za-z]{2,}/.test(m.text.replaceAll(PLACEHOLDER_TOKEN, "")) && !m.text.startsWith('{"'))
      .filter((m) => !entryFor(m.text.replaceAll(PLACEHOLDER_TOKEN, "\u2063X\u2063")))
      .map((m) => `${m.file}:${m.line} ${m.text}`);
    expect(missing, "add these to lib/i18n/server-messages.zh-CN.ts (the English as the key, {name} for each ${…})").toEqual([]);
  });
});
