// Notifications in the browser: an admin adds a Standard Webhooks webhook pointed at a receiver this
// spec serves on 127.0.0.2 (the e2e server's ALLOWED_PRIVATE_HOSTS lets it through), sends a test
// event and sees it delivered in the log; a batch on the sandbox completes and shows under the bell,
// which opens the batch and marks it read, while the receiver gets the signed event (verified with
// the standardwebhooks package); the member turns a type off on the settings page. Screenshots at
// desktop and phone width go to $TMPDIR/batchboard-notify-shots.
import { expect, test, type Page } from "@playwright/test";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { chooseUpload, makeLines, newAccount, signUp, writeJsonl } from "./helpers";

const shot = (name: string) => path.join(os.tmpdir(), "batchboard-notify-shots", `${name}.png`);
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let hookUrl: string;

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.2", ok));
  hookUrl = `http://127.0.0.2:${(server.address() as AddressInfo).port}/batchboard`;
});
test.afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

async function both(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: shot(`${name}-desktop`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shot(`${name}-phone`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("webhooks, the bell and each member's choices", async ({ page }) => {
  await signUp(page, newAccount("Nora"));

  // A webhook: the secret is shown once; a test event is delivered and logged.
  await page.goto("/team");
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Our receiver");
  await page.getByLabel("URL").fill(hookUrl);
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByText("Copy its signing secret now: it is shown only once.")).toBeVisible();
  const secret = await page.getByLabel("Signing secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  const hook = page.getByTestId("webhook").filter({ hasText: "Our receiver" });
  await expect(hook).toContainText("http://127.0.0.2:");
  expect(await hook.innerText()).not.toContain("/batchboard");
  await hook.getByRole("button", { name: "Send test event" }).click();
  await expect(hook.getByRole("status")).toHaveText("Delivered: the receiver answered with success.");
  await expect(hook.getByTestId("delivery").first()).toContainText("Delivered");
  await expect(hook.getByTestId("delivery").first()).toContainText("HTTP 204");
  const test1 = new Webhook(secret).verify(received[0].body, received[0].headers as Record<string, string>) as { type: string };
  expect(test1.type).toBe("webhook.test");
  await both(page, "webhooks");

  // A batch on the sandbox completes: the bell counts it, the receiver gets it signed.
  await page.goto("/files");
  await chooseUpload(page, writeJsonl("notify-3.jsonl", makeLines(3)));
  const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
  await outcome.getByRole("link", { name: "Launch a batch" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Bell batch");
  await page.getByRole("button", { name: "Launch batch" }).click();
  await expect(page).toHaveURL(/\/batches\/\w+$/);
  const batchPath = new URL(page.url()).pathname;
  await expect.poll(() => received.length, { timeout: 60_000 }).toBe(2);
  const event = new Webhook(secret).verify(received[1].body, received[1].headers as Record<string, string>) as { type: string; data: { batchId: string; completed: number; link: string } };
  expect(event.type).toBe("batch.completed");
  expect(event.data).toMatchObject({ batchId: batchPath.split("/").pop(), completed: 3, link: batchPath });

  await page.goto("/batches");
  const bell = page.getByRole("button", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
  await bell.click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  await expect(panel).toContainText('Batch "Bell batch" completed');
  await expect(panel).toContainText("3 of 3 requests succeeded, 0 failed");
  await both(page, "bell-open");
  await panel.getByRole("button", { name: /Bell batch/ }).click();
  await expect(page).toHaveURL(new RegExp(`${batchPath}$`));
  await expect(bell).toHaveAccessibleName("Notifications");
  await expect(page.getByTestId("unread-count")).toHaveCount(0);

  // The member's choices: "Batch completed" off in the app; kept after a reload.
  await page.goto("/account");
  await page.getByRole("link", { name: "Choose" }).click();
  await expect(page).toHaveURL(/\/account\/notifications$/);
  await expect(page.getByText("This server has no SMTP settings, so no email is sent")).toBeVisible();
  const inApp = page.getByLabel("Batch completed in the app");
  await expect(inApp).toBeChecked();
  await inApp.uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Batch completed in the app")).not.toBeChecked();
  await expect(page.getByLabel("Batch failed in the app")).toBeChecked();
  await both(page, "preferences");
});
