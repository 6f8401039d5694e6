// Bad addresses, in a real browser on the built app: pages whose address holds a NUL, a page number
// out of range or a cursor not ours say so instead of failing. E2E_SCREENSHOTS=<dir> keeps the
// pictures to look at; they are not part of the repository.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { newAccount, signUp } from "./helpers";

const shots = process.env.E2E_SCREENSHOTS;

test("pages whose address holds what they cannot use say what is wrong instead of failing", async ({ page }) => {
  await signUp(page, newAccount("Address"));
  const cases: [string, string][] = [
    ["/batches?page=99999999999999999999", 'The parameter "page" must be a whole number from 1 to 100,000; "99999999999999999999" is not.'],
    ["/files?page=-1", 'The parameter "page" must be a whole number from 1 to 100,000; "-1" is not.'],
    ["/files?template=a%00", 'The parameter "template" holds a NUL character (%00), which cannot be searched for or stored. Remove it from the address.'],
    ["/batches/x?q=a%00", 'The parameter "q" holds a NUL character (%00)'],
    ["/batches/new?file=%00", 'The parameter "file" holds a NUL character (%00)'],
    ["/compare?a=x&b=y&q=a%00", 'The parameter "q" holds a NUL character (%00)'],
    ["/compare?after=zzz", 'The parameter "after" is not a position in this comparison'],
    ["/providers/x/import?after=%00", 'The parameter "after" holds a NUL character (%00)'],
  ];
  for (const [url, message] of cases) {
    await page.goto(url);
    const alert = page.getByRole("alert").filter({ hasText: "This address cannot be shown as it is." });
    await expect(alert, url).toContainText(message);
    await expect(page.getByText("This page could not be shown")).toHaveCount(0);
  }
  if (shots) await page.screenshot({ path: path.join(shots, "bad-address-1280.png") });
  await page.getByRole("link", { name: "Open the team's providers" }).click();
  await expect(page).toHaveURL(/\/providers$/);
  // An id holding a NUL names nothing: the page's "not found", not the error page (nor a 22021 in its metadata).
  for (const [url, title] of [["/files/%00", "File not found"], ["/batches/x%00", "Batch not found"], ["/jobs/%00", "Job not found"], ["/providers/%00/import", "Import history"]]) {
    await page.goto(url);
    await expect(page, url).toHaveTitle(new RegExp(title));
    await expect(page.getByText("This page could not be shown")).toHaveCount(0);
  }
});
