// The OpenAI profile's requests checked against OpenAI's own OpenAPI document by a tool we did not
// write: Prism (@stoplight/prism-cli) serves ../shared/openapi/openai-openapi.yaml (its files,
// batches and models paths, calledPart) as a mock that answers 422 to any request the spec does not
// allow. Batchboard's own code (connection test, launch: file upload + batch create, sync: retrieve,
// recovery: list, cancel) runs against it over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { load as loadYaml } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto";
import { cancelBatch } from "@/lib/batches/engine/cancel";
import { launchBatch } from "@/lib/batches/engine/launch";
import { launchBatchInput } from "@/lib/batches/schemas";
import { syncBatch } from "@/lib/batches/engine/sync";
import { loadConnection } from "./adapters";
import { launchInput, makeFile, makeTeam, startEngine, type Engine } from "@/lib/batches/engine/fixtures";
import { sharedPath } from "@/lib/test/shared";
import { probeProvider } from "./connections";

const SPEC = sharedPath("openapi/openai-openapi.yaml");
/** The paths Batchboard calls (files, batches, models); Prism serves these with all they refer to. */
const CALLED = /^\/(files|batches|models)(\/|$)/;

/**
 * The spec's paths that Batchboard calls, with every component they refer to, as it is: Prism reads
 * and resolves the whole 3 MB document before it listens (~20 s quiet, over 150 s on a busy machine),
 * the part it needs in a few seconds. Written as JSON to a temp file.
 */
function calledPart(): string {
  const spec = loadYaml(fs.readFileSync(SPEC, "utf8")) as { paths: Record<string, unknown>; components: Record<string, Record<string, unknown>> };
  const components: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/") && !seen.has(value)) {
        seen.add(value);
        const [, , kind, name] = value.split("/");
        (components[kind] ??= {})[name] = spec.components[kind][name];
        walk(spec.components[kind][name]);
      } else walk(value);
    }
  };
  const paths = Object.fromEntries(Object.entries(spec.paths).filter(([p]) => CALLED.test(p)));
  walk(paths);
  // Security schemes are named by the document's `security`, not by a $ref.
  if (spec.components.securitySchemes) components.securitySchemes = spec.components.securitySchemes;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bb-openapi-")), "openai-called.json");
  const { openapi, info, servers, security } = spec as unknown as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ openapi, info, servers, security, paths, components }));
  return file;
}

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => s.once("listening", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

let prism: ChildProcess;
let prismUrl: string;
let log = "";
let e: Engine;

beforeAll(async () => {
  const port = await freePort();
  prismUrl = `http://127.0.0.1:${port}`;
  prism = spawn(process.execPath, ["node_modules/@stoplight/prism-cli/dist/index.js", "mock", "--errors", "-h", "127.0.0.1", "-p", String(port), calledPart()], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  prism.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  prism.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 150_000;
  while (!log.includes("Prism is listening")) {
    if (prism.exitCode !== null) throw new Error(`Prism exited: ${log.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`Prism did not start: ${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  e = await startEngine();
}, 180_000);

afterAll(async () => {
  prism?.kill();
  await e?.close();
});

/** Prism's report of a request that broke the spec (it also answers it with 422). */
const violations = (from = 0) => log.slice(from).split("\n").filter((l) => /violation|Request body|must be|UNPROCESSABLE/i.test(l) && !/Request passed validation/i.test(l));

describe("the OpenAI profile against OpenAI's OpenAPI spec (Prism)", () => {
  it("Prism refuses a request the spec does not allow (the check has teeth)", async () => {
    const res = await fetch(`${prismUrl}/batches`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
      body: JSON.stringify({ input_file_id: "file-abc", endpoint: "/v1/chat/completions", completion_window: "48h" }),
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toMatch(/completion_window/);
    await expect.poll(() => log).toMatch(/post \/batches .*UNPROCESSABLE/); // logged, so the next test starts clean
  });

  it("a connection test, a launch (upload + create), a sync, the recovery list and a cancel all pass the spec", async () => {
    const from = log.length;
    const probe = await probeProvider("openai", prismUrl, "sk-test-key");
    expect(probe).toMatchObject({ ok: true, outcome: "ok" });

    const { ctx, team, user } = await makeTeam(e);
    const connection = await e.h.prisma.providerConnection.create({
      data: { teamId: team.id, kind: "openai", name: "OpenAI (Prism)", baseUrl: prismUrl, encryptedKey: encryptSecret("sk-test-key"), keyLast4: "-key", createdById: user.id },
    });
    // A launch checks the file's models against GET /models first: Prism's generated list names the model to use.
    const listed = ((await (await fetch(`${prismUrl}/models`, { headers: { authorization: "Bearer sk-test-key" } })).json()) as { data: { id: string }[] }).data;
    const file = await makeFile(e, team.id, 5, { models: [listed[0].id] });
    const input = launchBatchInput.parse(launchInput(connection.id, file.id, { description: "Checked by Prism", metadata: {} }));
    const { batchId, created } = await launchBatch(input, ctx);
    expect(created).toBe(true);
    const launched = await e.h.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(launched.providerBatchId).toBeTruthy();
    expect(launched.providerInputFileId).toBeTruthy();

    const sync = await syncBatch(e.h.prisma, batchId);
    expect(sync.error).toBeUndefined();

    const { adapter } = await loadConnection(e.h.prisma, null, connection.id, { maxRetries: 0 });
    await adapter.findByOurId(batchId, 5);

    // Cancel needs a batch still running on our side; Prism's example may say otherwise.
    await e.h.prisma.batch.update({ where: { id: batchId }, data: { status: "IN_PROGRESS" } });
    await cancelBatch(ctx, batchId);

    expect(violations(from)).toEqual([]);
    // And the calls did reach Prism (it logs each request it checked).
    for (const call of ["get /models", "post /files", "post /batches", "get /batches/", "get /batches", "/cancel"]) expect(log.slice(from).toLowerCase()).toContain(call);
  });
});
