// The admin CLI's account and instance commands as real processes (`node scripts/admin.ts ...`, what
// `npm run admin` runs) on an embedded database's folder: what each prints and exits with, what it
// leaves in the database (read after it exits, the folder being free again), its one-line refusal
// while a server holds the folder; and, on PostgreSQL (TEST_DATABASE_URL), `instances` beside a
// running server whose worker it lists.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "@/lib/db/client";
import { checkPassword } from "@/lib/auth/password";
import { settings } from "@/lib/env";
import { runAdmin } from "@/lib/test/admin-process";
import { createTestDb } from "@/lib/test/db";
import { killServerProcesses, startServerProcess } from "@/lib/test/server-process";

const dirs: string[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-admin-"));
dirs.push(dataDir);

afterAll(() => {
  killServerProcesses();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const admin = (args: string[], env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: "" }) => runAdmin(args, { ENCRYPTION_KEY: "", AUTH_SECRET: "", ...env });

/** The folder's database, opened once the command has let go of it. */
async function look<T>(read: (h: DbHandle) => Promise<T>): Promise<T> {
  const h = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
  try {
    return await read(h);
  } finally {
    await h.close();
  }
}

const oneLine = (s: string) => s.trimEnd().split("\n").length === 1;

// Each command is a fresh Node process (tsx, migrations checked): seconds each, more on a busy machine.
const SLOW = { timeout: 300_000 };

describe("npm run admin on the embedded database (server stopped)", SLOW, () => {
  let userId = "";

  it("user create: the user, a personal team with the Sandbox, the id on the last line, and the audit rows", async () => {
    const r = await admin(["user", "create", "--email", "Ops@Example.com", "--password", "first-Passw0rd"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    userId = lines[lines.length - 1];
    expect(lines[0]).toBe('Created ops@example.com, owner of "ops\'s team" (with the Sandbox provider).');
    const seen = await look(async ({ prisma }) => ({
      user: await prisma.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true, memberships: { select: { role: true, team: { select: { personal: true, connections: { select: { kind: true } } } } } } } }),
      events: await prisma.auditEvent.findMany({ orderBy: { id: "asc" }, select: { action: true, actorId: true, actorLabel: true, ip: true, targetLabel: true } }),
    }));
    expect(seen.user?.email).toBe("ops@example.com");
    expect(await checkPassword(seen.user!.passwordHash, "first-Passw0rd")).toBe(true);
    expect(seen.user!.memberships).toEqual([{ role: "OWNER", team: { personal: true, connections: [{ kind: "sandbox" }] } }]);
    expect(seen.events).toEqual([
      { action: "account.created", actorId: null, actorLabel: "admin CLI", ip: null, targetLabel: "ops@example.com" },
      { action: "team.created", actorId: null, actorLabel: "admin CLI", ip: null, targetLabel: "ops's team" },
    ]);
  });

  it("user create refuses a taken email and a weak password, in one line naming the option (exit 1); an unknown option is exit 2", async () => {
    const taken = await admin(["user", "create", "--email", "ops@example.com", "--password", "other-Passw0rd"]);
    expect(taken).toMatchObject({ code: 1, out: "", err: "--email: An account with the email ops@example.com already exists.\n" });
    const weak = await admin(["user", "create", "--email", "new@example.com", "--password", "short"]);
    expect(weak).toMatchObject({ code: 1, out: "", err: "--password: Use at least 10 characters.\n" });
    const unknown = await admin(["user", "create", "--mail", "x@example.com"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^Unknown option '--mail'/);
    expect(await look(({ prisma }) => prisma.user.count())).toBe(1);
  });

  it("password reset: the new password works, every session ends (session version up), a row by the admin CLI", async () => {
    const before = await look(({ prisma }) => prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } }));
    const r = await admin(["password", "reset", "--email", "OPS@example.com", "--password", "second-Passw0rd"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Password of ops@example.com set; every session of theirs has ended");
    const after = await look(async ({ prisma }) => ({
      user: await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true, passwordHash: true } }),
      event: await prisma.auditEvent.findFirst({ where: { action: "account.password_reset" }, select: { actorLabel: true, targetId: true } }),
    }));
    expect(after.user.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await checkPassword(after.user.passwordHash, "second-Passw0rd")).toBe(true);
    expect(await checkPassword(after.user.passwordHash, "first-Passw0rd")).toBe(false);
    expect(after.event).toEqual({ actorLabel: "admin CLI", targetId: userId });

    const nobody = await admin(["password", "reset", "--email", "nobody@example.com", "--password", "second-Passw0rd"]);
    expect(nobody).toMatchObject({ code: 1, err: "--email: No account has the email nobody@example.com.\n" });
  });

  it("instances: the workers recorded and the batches each holds; a stopped folder has none running", async () => {
    const { batchId } = await look(async ({ prisma }) => {
      const team = await prisma.team.findFirstOrThrow();
      const conn = await prisma.providerConnection.findFirstOrThrow({ where: { teamId: team.id } });
      const file = await prisma.inputFile.create({ data: { teamId: team.id, name: "f.jsonl", format: "jsonl", bytes: BigInt(1), lineCount: 1, requestCount: 1, endpoint: "/v1/chat/completions", status: "valid" } });
      const owner = "host-a:4242:abcdef";
      await prisma.instance.create({ data: { id: owner, host: "host-a", pid: 4242, seenAt: new Date() } });
      await prisma.instance.create({ data: { id: "host-b:7:000000", host: "host-b", pid: 7, seenAt: new Date(Date.now() - 3600_000) } });
      const b = await prisma.batch.create({
        data: { teamId: team.id, connectionId: conn.id, inputFileId: file.id, name: "Nightly eval", endpoint: "/v1/chat/completions", completionWindow: "24h", idempotencyKey: "k1", status: "IN_PROGRESS", leaseOwner: owner, leaseUntil: new Date(Date.now() + 60_000) },
      });
      return { batchId: b.id };
    });
    const r = await admin(["instances"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toBe("1 running instance(s):");
    expect(lines[1]).toMatch(/^host-a:4242:abcdef {2}host host-a, pid 4242, started .* UTC, last seen .* UTC: 1 batch\(es\)$/);
    expect(lines[2]).toMatch(new RegExp(`^ {4}${batchId} {2}"Nightly eval" \\(ops's team\\), in_progress, lease until .* UTC$`));
    expect(lines[3]).toMatch(/^gone\? host-b:7:000000 {2}host host-b, pid 7, .*: 0 batch\(es\)$/);
  });

  it("every command refuses in one line (exit 1) while a server runs on the folder", async () => {
    const server = startServerProcess({ DATA_DIR: dataDir });
    await server.started;
    for (const args of [["instances"], ["user", "create", "--email", "b@example.com", "--password", "third-Passw0rd"], ["password", "reset", "--email", "ops@example.com", "--password", "third-Passw0rd"]]) {
      const r = await admin(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(oneLine(r.err), r.err).toBe(true);
      expect(r.err).toContain(`is in use by process ${server.child.pid}. Stop that Batchboard first`);
    }
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});

describe.skipIf(!settings().TEST_DATABASE_URL)("npm run admin -- instances on PostgreSQL beside a running server", SLOW, () => {
  it("lists the server's worker by its pid, and drops it once the server stops", async () => {
    const h = await createTestDb();
    try {
      const env = { DATABASE_URL: h.url!, DATA_DIR: dataDir, AUTH_SECRET: "x".repeat(32), ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") };
      const server = startServerProcess({ ...env, SYNC_WORKER: "true" });
      await server.started;
      let r = await admin(["instances"], env);
      for (let i = 0; i < 20 && !r.out.includes(`pid ${server.child.pid}`); i++) {
        await new Promise((ok) => setTimeout(ok, 250));
        r = await admin(["instances"], env);
      }
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^1 running instance\\(s\\):\\n\\S+:${server.child.pid}:\\w+ {2}host \\S+, pid ${server.child.pid}, `));
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      r = await admin(["instances"], env);
      expect(r.out).toBe("No running instance.\n");
    } finally {
      await h.close();
    }
  });
});
