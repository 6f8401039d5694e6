// `npm run admin -- token create`: the real command on an embedded data folder, then the token it
// printed (alone on its last line) opening the API; and its options and refusals.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sha256 } from "@/lib/crypto";
import { openDatabase } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createUserWithTeam } from "@/lib/teams/create";
import type { Db } from "@/lib/db/client";
import { createTokenFor } from "./tokens";
import { runAdmin } from "@/lib/test/admin-process";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The real command on an embedded data folder (lib/test/admin-process.ts). */
const admin = (dataDir: string, args: string[]) => runAdmin(args, { DATA_DIR: dataDir, DATABASE_URL: "" });

describe("token create", () => {
  it("makes a token for the member on the named connection and prints it alone on the last line", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-admin-token-"));
    dirs.push(dataDir);
    process.env.DATA_DIR = dataDir;
    resetEnvForTests();
    let h = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
    const { team } = await createUserWithTeam(h.prisma, { email: "ada@example.com", name: "Ada", passwordHash: "x" });
    const sandbox = await h.prisma.providerConnection.findFirstOrThrow({ where: { teamId: team.id } });
    await h.close();

    const r = await admin(dataDir, ["token", "create", "--email", "ada@example.com", "--name", "ci", "--connection", "Sandbox"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    const secret = lines.at(-1)!;
    expect(secret).toMatch(/^bb_[\w-]{43}$/);
    expect(lines[0]).toContain('Token "ci" for ada@example.com in team');

    h = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
    try {
      const t = await h.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: sha256(secret) } });
      expect(t).toMatchObject({ name: "ci", teamId: team.id, defaultConnectionId: sandbox.id, scope: "role", expiresAt: null, revokedAt: null });
      expect(await h.prisma.auditEvent.count({ where: { teamId: team.id, action: "token.created", targetId: t.id } })).toBe(1);
    } finally {
      await h.close();
    }

    const unknown = await admin(dataDir, ["token", "create", "--email", "nobody@example.com", "--name", "x"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("No user with the email nobody@example.com.");
    const noConn = await admin(dataDir, ["token", "create", "--email", "ada@example.com", "--name", "x", "--connection", "Nope"]);
    expect(noConn.code).toBe(1);
    expect(noConn.err).toContain('has no connection named "Nope"');
    const unknownOption = await admin(dataDir, ["token", "create", "--email", "ada@example.com", "--name", "x", "--role", "admin"]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toContain("--role");
  }, 240_000); // four runs of the command, each a Node process with tsx: slow on a busy machine

  it("says which options it needs", async () => {
    await expect(createTokenFor({} as Db, { email: "a@b.c" })).rejects.toThrow("--email and --name are required");
  });
});
