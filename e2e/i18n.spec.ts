// The main journey in Simplified Chinese, as a Chinese-reading user meets it: an English browser
// opens the sign-up page in English, switches to 中文 there, signs up, uploads a file, launches it on
// the Sandbox and reads the results, every page in Chinese (its <html lang>, its title and words of
// its own); and an English browser that switches nothing stays in English. Steps on pages whose words
// other areas own (the upload panel, the launch form) find their controls by role and name attribute,
// so the journey runs whichever of them speak Chinese yet.
import { expect, test, type Page } from "@playwright/test";
import { batchHeader, chooseUpload, download, makeLines, newAccount, writeJsonl } from "./helpers";

/** Some CJK text in the main column: the page is not English any more. */
const CHINESE = /[\u4e00-\u9fff]/;

async function expectChinese(page: Page, title: RegExp) {
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page).toHaveTitle(title);
  await expect(page.locator("main")).toContainText(CHINESE);
}

test.describe.serial("in Chinese", () => {
  test("sign up, upload, launch on the Sandbox and read the results, in Chinese from the language switch", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const who = newAccount("Zhong");

    // An English browser: the sign-up page is English until the switch says otherwise.
    await page.goto("/sign-up");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
    await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { name: "创建你的账号" })).toBeVisible();
    await expect(page).toHaveTitle(/创建账号/);

    // A refusal from the server is in Chinese too: the sign-in form, before the account exists.
    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { name: "登录 Batchboard" })).toBeVisible();
    await page.getByLabel("邮箱").fill(who.email);
    await page.getByLabel("密码").fill(who.password);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("邮箱或密码错误。");
    await page.getByRole("link", { name: "创建账号" }).click();
    await expect(page).toHaveURL(/\/sign-up$/);

    await page.getByLabel("姓名").fill(who.name);
    await page.getByLabel("邮箱").fill(who.email);
    await page.getByLabel("密码").fill(who.password);
    await page.getByRole("button", { name: "创建账号" }).click();
    await expect(page).toHaveURL(/\/overview$/);

    // The overview: its heading, figures and empty states.
    await expectChinese(page, /概览/);
    await expect(page.getByRole("heading", { name: "概览", level: 1 })).toBeVisible();
    await expect(page.getByText("没有正在运行的批次。")).toBeVisible();
    await expect(page.getByText("这是你第一次访问", { exact: false })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "时间范围" })).toContainText("最近 30 天");

    // Files: upload a valid file; its row says when, in Chinese ("刚刚").
    await page.goto("/files");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    const lines = makeLines(6, { prefix: "zh", fail: [6], prompt: (i) => `第 ${i} 个问题：${i} 加 ${i} 等于几？` });
    await chooseUpload(page, writeJsonl("zh-journey.jsonl", lines));
    const launch = page.locator('a[href^="/batches/new?file="]').first();
    await expect(launch).toBeVisible({ timeout: 60_000 });
    const row = page.getByRole("row").filter({ hasText: "zh-journey.jsonl" });
    await expect(row.locator("time")).toHaveText("刚刚");
    // Its size too: a file under 1 KB is in 字节, never "bytes".
    await expect(row).toContainText(/\d+(\.\d+)? (字节|KB)/);
    await expect(row).not.toContainText(" bytes");

    // Launch on the personal team's Sandbox (the only connection, chosen already).
    await launch.click();
    await expect(page).toHaveURL(/\/batches\/new\?file=/);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.locator('main input[name="name"]').fill("中文批次");
    await page.locator('main form button[type="submit"]').click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);

    // The batch page: the status, the progress chart, the results browser and its downloads.
    const header = batchHeader(page);
    await expect(header.getByRole("heading", { name: "中文批次" })).toBeVisible();
    await expect(header.getByText("已完成", { exact: true })).toBeVisible({ timeout: 90_000 });
    await expectChinese(page, /中文批次/);
    await expect(page.getByRole("img", { name: /^中文批次 的进度：共 6 个，已完成 5 个，失败 1 个$/ })).toBeVisible();
    const results = page.getByTestId("results-scroll");
    await expect(results.getByRole("columnheader", { name: "提示词" })).toBeVisible({ timeout: 30_000 });
    await expect(results.getByRole("columnheader", { name: "回答或错误" })).toBeVisible();
    await expect(results).toContainText("第 1 个问题");
    await expect(page.getByRole("group", { name: "显示结果" })).toContainText("失败");
    await expect(page.getByRole("link", { name: /^下载 CSV/ })).toBeVisible();

    // One result in the drawer: its sections in Chinese.
    await results.getByRole("row").filter({ hasText: "zh-001" }).click();
    const drawer = page.getByRole("dialog", { name: "结果 zh-001" });
    await expect(drawer.getByRole("heading", { name: "请求" })).toBeVisible();
    await expect(drawer.getByRole("heading", { name: "回答" })).toBeVisible();
    await expect(drawer.getByRole("heading", { name: "用量与结束情况" })).toBeVisible();
    await drawer.getByRole("button", { name: "关闭" }).click();

    // Back on the overview, the batch is among those finished, with its status in Chinese.
    await page.goto("/overview");
    await expectChinese(page, /概览/);
    await expect(page.getByRole("list", { name: "你上次访问以来完成的批次" }).or(page.getByText("这段时间没有批次完成。"))).toBeVisible();

    // The bell words the batch's notification in Chinese (the event is stored once, in English, for
    // email and webhooks; the bell words its facts again).
    await page.getByRole("button", { name: /^通知/ }).click();
    const panel = page.getByRole("dialog", { name: "通知" });
    await expect(panel).toContainText("批次“中文批次”已完成");
    await expect(panel).toContainText("6 个请求中 5 个成功，1 个失败");

    // A page of another area of this helper, for its title: the API tokens page.
    await page.goto("/tokens");
    await expectChinese(page, /API 令牌/);
    // A form's field error from the server (a token without a name), in Chinese.
    await page.getByRole("button", { name: "创建令牌" }).click();
    await expect(page.getByText("请为令牌命名。")).toBeVisible();
    await context.close();
  });

  test("what the server keeps or builds in English reads in Chinese: the team's name, a file's problems and their CSV, money, the launch form's warnings", async ({ browser }) => {
    // A Chinese browser: Accept-Language picks 中文 from the first page.
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const who = newAccount("Lan");
    await page.goto("/sign-up");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.getByLabel("姓名").fill(who.name);
    await page.getByLabel("邮箱").fill(who.email);
    await page.getByLabel("密码").fill(who.password);
    await page.getByRole("button", { name: "创建账号" }).click();
    await expect(page).toHaveURL(/\/overview$/);

    // The personal team's default name (stored as "X's team") in the switcher.
    await expect(page.getByRole("combobox", { name: "团队" }).locator("option:checked")).toHaveText(`${who.name}的团队`);

    // A broken file: its problems (stored in English) on the upload panel, on its page and in its CSV.
    await page.goto("/files");
    const chat = "/v1/chat/completions";
    const broken = writeJsonl("zh-broken.jsonl", [
      JSON.stringify({ custom_id: "a", method: "POST", url: chat, body: { messages: [{ role: "user", content: "x" }] } }),
      "not json",
      JSON.stringify({ custom_id: 5, method: "POST", url: chat, body: { model: "m", messages: [] } }),
    ]);
    await chooseUpload(page, broken);
    const report = page.getByRole("alert").filter({ hasText: "zh-broken.jsonl" });
    await expect(report).toContainText("缺少 body.model", { timeout: 60_000 });
    await expect(report).toContainText("custom_id 必须是字符串，而不是数字");
    await page.goto("/files?status=invalid");
    await page.getByRole("link", { name: "zh-broken.jsonl" }).click();
    await expect(page).toHaveURL(/\/files\/[^/?]+$/);
    const main = page.locator("main");
    await expect(main).toContainText("缺少 body.model");
    await expect(main).toContainText("此行不是有效的 JSON");
    await expect(main).toContainText("body.messages 为空：聊天补全至少需要一条消息");
    await expect(main).not.toContainText("is missing");
    // The page's download link, as the browser fetches it (its language with it).
    const { text: csv } = await download(page, main.locator('a[href$="/problems.csv"]'));
    expect(csv.split("\r\n")[0]).toBe("line,field,message");
    expect(csv).toContain("1,body.model,缺少 body.model");
    expect(csv).not.toContain("is missing");

    // Money in the reader's locale: a Chinese reader's dollars are US$.
    await page.goto("/prices");
    await expect(main).toContainText("US$");

    // The launch form's instant warning, worded from its code: a file for an endpoint the Sandbox does not offer.
    await page.goto("/files");
    // The upload's target names the built-in Sandbox in Chinese too.
    await expect(page.getByRole("combobox", { name: "检查依据" })).toContainText("Sandbox（内置）");
    await page.getByRole("combobox", { name: "端点" }).selectOption("/v1/chat/ds-test");
    const dsTest = writeJsonl("zh-ds-test.jsonl", [JSON.stringify({ custom_id: "t1", method: "POST", url: "/v1/chat/ds-test", body: { model: "batch-test-model", messages: [{ role: "user", content: "x" }] } })]);
    await chooseUpload(page, dsTest);
    const launch = page.locator('a[href^="/batches/new?file="]').first();
    await expect(launch).toBeVisible({ timeout: 60_000 });
    await launch.click();
    await expect(page).toHaveURL(/\/batches\/new\?file=/);
    // The server's verdict (it names the limits it checked against) words the Sandbox as the instant check does.
    await expect(main).toContainText("它的限制：");
    await expect(main).toContainText("Sandbox（内置） 不提供 /v1/chat/ds-test；它提供");
    await expect(main).not.toContainText("does not offer");
    // The cost estimate says how it counted in Chinese too.
    await expect(main).toContainText("以 OpenAI 的 o200k_base 计数代替");
    await expect(main).not.toContainText("tokenizer is not bundled");
    await context.close();
  });

  test("an English browser that switches nothing stays in English", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto("/sign-up");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(/Create an account/);
    const who = newAccount("Plain");
    await page.getByLabel("Name").fill(who.name);
    await page.getByLabel("Email").fill(who.email);
    await page.getByLabel("Password").fill(who.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(/Overview/);
    await expect(page.getByText("No batch is running.")).toBeVisible();
    await expect(page.locator("main")).not.toContainText(CHINESE);
    await page.goto("/tokens");
    await expect(page).toHaveTitle(/API tokens/);
    await expect(page.getByRole("button", { name: "Create token" })).toBeVisible();
    await expect(page.locator("main")).not.toContainText(CHINESE);
    await context.close();
  });
});
