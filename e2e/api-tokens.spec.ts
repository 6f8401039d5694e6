// API tokens as a person meets them, in a real browser against the built server: make a token on
// the API tokens page (shown once), use it from a script (plain HTTP, OpenAI's shape) to upload and
// launch on the Sandbox, see the batch on the Batches page as "API · <token>" under the API filter,
// see the token's last use, revoke it, and the script's next call is refused.
import { expect, test } from "@playwright/test";
import { BASE_URL, makeLines, newAccount, requestLine, signUp } from "./helpers";

const shots = process.env.E2E_SCREENSHOTS;

test("a token made on the page runs a script's batch, shows in the history, and stops once revoked", async ({ page, request }) => {
  await signUp(page, newAccount("Tokens"));
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  // A refused form keeps what was typed, beside its error; once made, it starts over.
  await page.getByLabel("Name").fill("nightly eval");
  await page.getByLabel("Spend cap (USD, optional)").fill("-3");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("A spend cap must be more than $0, or left empty for none.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("nightly eval");
  await expect(page.getByLabel("Spend cap (USD, optional)")).toHaveValue("-3");
  await page.getByLabel("Spend cap (USD, optional)").fill("");
  await page.getByRole("button", { name: "Create token" }).click();
  const field = page.getByLabel("New token");
  await expect(field).toHaveValue(/^bb_[\w-]{43}$/);
  const token = await field.inputValue();
  await expect(page.getByLabel("Name")).toHaveValue("");
  if (shots) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${shots}/tokens-created-1280.png`, fullPage: true });
  }

  const auth = { authorization: `Bearer ${token}` };
  const body = makeLines(3, { prefix: "api" }).map((l) => requestLine(l)).join("\n") + "\n";
  const file = await request.post(`${BASE_URL}/api/v1/files`, { headers: auth, multipart: { purpose: "batch", file: { name: "script.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(body) } } });
  expect(file.status()).toBe(200);
  const fileId = (await file.json()).id;
  const batch = await request.post(`${BASE_URL}/api/v1/batches`, { headers: auth, data: { input_file_id: fileId, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { batchboard_name: "From my script" } } });
  expect(batch.status()).toBe(200);

  await page.goto("/batches?source=api");
  const row = page.getByRole("row", { name: /From my script/ });
  await expect(row).toContainText("API: nightly eval");
  await expect(page.getByLabel("Source")).toHaveValue("api");
  await page.getByLabel("Source").selectOption("browser");
  await expect(page).toHaveURL(/source=browser/);
  await expect(page.getByText("No batch matches these filters")).toBeVisible();
  if (shots) {
    await page.goto("/batches");
    await page.screenshot({ path: `${shots}/batches-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${shots}/batches-390.png`, fullPage: true });
  }

  await page.goto("/tokens");
  const item = page.getByRole("listitem").filter({ hasText: "nightly eval" });
  await expect(item).toContainText(/Last used .* from /);
  await expect(item).toContainText("1 batch");
  if (shots) {
    await page.screenshot({ path: `${shots}/tokens-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${shots}/tokens-1280.png`, fullPage: true });
  }
  await item.getByRole("button", { name: "Revoke nightly eval" }).click();
  await expect(item).toContainText("Revoked");
  const refused = await request.get(`${BASE_URL}/api/v1/batches`, { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toContain('"nightly eval" was revoked');
});
