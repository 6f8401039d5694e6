// The data folder is private: a real server start on a fresh folder, and on one opened to everyone,
// leaves 0700 folders and 0600 files (PGlite's, secrets.json, the lock).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killServerProcesses, startServerProcess } from "@/lib/test/server-process";
import { makeDataFolderPrivate } from "./data-folder";

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "bb-private-"));
});
afterAll(() => {
  killServerProcesses();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every path under `dir` (itself included) whose mode is not 0700 (folders) or 0600 (files). */
function notPrivate(dir: string): string[] {
  const bad: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    const mode = st.mode & 0o777;
    if (mode !== (st.isDirectory() ? 0o700 : 0o600)) bad.push(`${path.relative(dir, p) || "."} ${mode.toString(8)}`);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  };
  walk(dir);
  return bad;
}

function openUp(dir: string) {
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    fs.chmodSync(p, st.isDirectory() ? 0o777 : 0o666);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  };
  walk(dir);
}

describe("the data folder's modes", () => {
  // Two server processes started one after the other, each loading the app and opening the folder's
  // database: well under a minute on a quiet machine, over it on a busy one.
  it("a start on a fresh folder writes everything private, and a start fixes a folder opened to everyone", async () => {
    const dataDir = path.join(root, "data");
    const first = startServerProcess({ DATA_DIR: dataDir });
    await first.started;
    const files = fs.readdirSync(dataDir).sort();
    expect(files).toEqual(["pglite", "secrets.json"]);
    expect(fs.readdirSync(path.join(dataDir, "pglite")).length).toBeGreaterThan(10);
    expect(notPrivate(dataDir)).toEqual([]);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    openUp(dataDir);
    fs.mkdirSync(path.join(dataDir, "uploads"));
    fs.writeFileSync(path.join(dataDir, "uploads", "old.jsonl"), "{}\n", { mode: 0o644 });
    expect(notPrivate(dataDir).length).toBeGreaterThan(10);
    const second = startServerProcess({ DATA_DIR: dataDir });
    await second.started;
    expect(notPrivate(dataDir)).toEqual([]);
    expect(second.logLines().find((l) => l.event === "server.data_folder_made_private")).toMatchObject({ level: "info" });
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 180_000);

  it("follows no symbolic link out of the folder", async () => {
    const dataDir = path.join(root, "links");
    const outside = path.join(root, "outside.txt");
    fs.writeFileSync(outside, "not ours");
    fs.chmodSync(outside, 0o644);
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.symlinkSync(outside, path.join(dataDir, "link"));
    const r = await makeDataFolderPrivate(dataDir);
    expect(r).toEqual({ changed: 1, failed: [] });
    expect(fs.statSync(outside).mode & 0o777).toBe(0o644);
    expect(notPrivate(dataDir)).toEqual([]);
  });
});
