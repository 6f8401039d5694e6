// The launch form's verdict (launch-check.ts) gives what launch itself would say, every line checked,
// with the limits it checked against, and sends nothing to the provider.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { launchBatchInput } from "./schemas";
import { launchBatch } from "./engine/launch";
import { customConnection, launchInput, makeFile, makeTeam, startEngine, type Engine } from "./engine/fixtures";
import { checkLaunch } from "./launch-check";

let e: Engine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(() => e.close());

const ENDPOINT = "/v1/chat/completions";

describe("checkLaunch", () => {
  it("says valid, against which connection and limits, without a call to the provider", async () => {
    const t = await makeTeam(e);
    const file = await makeFile(e, t.team.id, 4);
    const before = e.calls.length;
    const v = await checkLaunch({ connectionId: t.connection.id, inputFileId: file.id, endpoint: ENDPOINT }, t.ctx);
    expect(v).toMatchObject({ verdict: "valid", requests: 4, against: { connection: t.connection.name, provider: "Sandbox (built in)" } });
    expect(v.against.maxRequests).toBeGreaterThan(0);
    expect(v.against.maxLineBytes).toBeGreaterThan(0);
    expect(e.calls.length).toBe(before);
  });

  it("finds the lines launch would refuse, in launch's own words", async () => {
    const t = await makeTeam(e);
    const conn = await customConnection(e, t, { limits: { maxCustomIdLength: 7 } });
    const file = await makeFile(e, t.team.id, 3);
    const v = await checkLaunch({ connectionId: conn.id, inputFileId: file.id, endpoint: ENDPOINT }, t.ctx);
    expect(v.verdict).toBe("invalid");
    const launched = launchBatch(launchBatchInput.parse(launchInput(conn.id, file.id)), t.ctx);
    await expect(launched).rejects.toThrow(v.verdict === "invalid" ? v.message : "");
    expect(v.verdict === "invalid" && v.message).toContain("Line 1: custom_id is 8 characters, over Acme's limit of 7.");
  });

  it("says a file over the request limit can go as several batches", async () => {
    const t = await makeTeam(e);
    const conn = await customConnection(e, t, { limits: { maxRequests: 3 } });
    const file = await makeFile(e, t.team.id, 5);
    const v = await checkLaunch({ connectionId: conn.id, inputFileId: file.id, endpoint: ENDPOINT }, t.ctx);
    expect(v).toMatchObject({ verdict: "split", against: { connection: "Acme", maxRequests: 3 }, problems: ["The file has 5 requests, over Acme's limit of 3 per batch."] });
  });

  it("another team's file is not found", async () => {
    const a = await makeTeam(e);
    const b = await makeTeam(e);
    const file = await makeFile(e, a.team.id, 2);
    await expect(checkLaunch({ connectionId: b.connection.id, inputFileId: file.id, endpoint: ENDPOINT }, b.ctx)).rejects.toBeInstanceOf(NotFoundError);
  });
});
