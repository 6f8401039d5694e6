// `keys rotate`, both procedures, each step and a crash between steps (every stored key still
// decrypts), the settings a wrong or missing previous key names, and the command as a real process
// beside a running server.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "@/lib/db/client";
import { decryptSecret, encryptSecret, keyId, keyRing, type KeyRing } from "@/lib/crypto";
import { readEmbeddedSecrets, resetEnvForTests, settings } from "@/lib/env";
import { runAdmin } from "@/lib/test/admin-process";
import { createTestDb } from "@/lib/test/db";
import { killServerProcesses, startServerProcess } from "@/lib/test/server-process";
import { rotateKeys, type RotationStep } from "./keys";

const saved = { ...process.env };
const dirs: string[] = [];
const newKey = () => crypto.randomBytes(32).toString("base64");
const ringOf = (current: string, previous?: string): KeyRing => ({ current: Buffer.from(current, "base64"), previous: previous ? Buffer.from(previous, "base64") : undefined });
const PLAIN = ["sk-proj-aaaaaaaaaaaa1111", "sk-ant-bbbbbbbbbbbb2222", "gsk_cccccccccccc3333", "https://hooks.slack.example/services/T0/B0/secretpath", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNDU="];

function setEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetEnvForTests();
}
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "bb-keys-"));
  dirs.push(d);
  return d;
}

/** Three connections whose keys were saved under `ring` (one in the format before key ids). */
async function seed(h: DbHandle, ring: KeyRing) {
  const team = await h.prisma.team.create({ data: { name: `keys-${crypto.randomBytes(3).toString("hex")}` } });
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv("aes-256-gcm", ring.current, iv);
  const body = Buffer.concat([c.update(PLAIN[2], "utf8"), c.final()]);
  const oldFormat = ["v1", iv.toString("base64"), body.toString("base64"), c.getAuthTag().toString("base64")].join(":");
  const stored = [encryptSecret(PLAIN[0], ring), encryptSecret(PLAIN[1], ring), oldFormat];
  for (const [i, encryptedKey] of stored.entries()) {
    await h.prisma.providerConnection.create({ data: { teamId: team.id, kind: "openai-compatible", name: `c${i}`, baseUrl: "https://x.example/v1", encryptedKey, keyLast4: "1234" } });
  }
  // A webhook: its URL (Slack's is the credential) and its signing secret.
  await h.prisma.webhook.create({ data: { teamId: team.id, name: "w", encryptedUrl: encryptSecret(PLAIN[3], ring), urlHint: "x", format: "standard", events: [], encryptedSecret: encryptSecret(PLAIN[4], ring) } });
  return team.id;
}

async function storedKeys(h: DbHandle, teamId: string) {
  const rows = await h.prisma.providerConnection.findMany({ where: { teamId }, select: { name: true, encryptedKey: true }, orderBy: { name: "asc" } });
  const hook = await h.prisma.webhook.findFirstOrThrow({ where: { teamId }, select: { encryptedUrl: true, encryptedSecret: true } });
  return [...rows.map((r) => r.encryptedKey), hook.encryptedUrl, hook.encryptedSecret!];
}

/** Every stored key opens with `ring` and is what was saved. */
async function expectReadable(h: DbHandle, teamId: string, ring: KeyRing) {
  expect((await storedKeys(h, teamId)).map((s) => decryptSecret(s, ring))).toEqual(PLAIN);
}

beforeAll(() => setEnv({ DATABASE_URL: "", ENCRYPTION_KEY: "", ENCRYPTION_KEY_PREVIOUS: "", AUTH_SECRET: "" }));
afterEach(() => {
  process.env = { ...saved };
  setEnv({ DATABASE_URL: "", ENCRYPTION_KEY: "", ENCRYPTION_KEY_PREVIOUS: "", AUTH_SECRET: "" });
});
afterAll(() => {
  killServerProcesses();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  process.env = saved;
  resetEnvForTests();
});

describe("keys rotate, the key in the environment (PostgreSQL when TEST_DATABASE_URL is set, else the embedded database)", () => {
  const pgUrl = settings().TEST_DATABASE_URL;

  interface Seeded {
    teamId: string;
    /** The settings that point the command at this database. */
    settings: Record<string, string>;
    /** A handle to look at it. */
    look(): Promise<DbHandle>;
    /** Closes that handle where it holds the data folder's lock (the command needs it free). */
    release(): Promise<void>;
    done(): Promise<void>;
  }

  /** The database the command will open from the settings, seeded under `ring`. */
  async function database(ring: KeyRing): Promise<Seeded> {
    if (pgUrl) {
      const h = await createTestDb();
      return { teamId: await seed(h, ring), settings: { DATABASE_URL: h.url! }, look: async () => h, release: async () => {}, done: () => h.close() };
    }
    const dataDir = tempDir();
    const seedHandle = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
    const teamId = await seed(seedHandle, ring);
    await seedHandle.close();
    let open: DbHandle | undefined;
    const release = async () => {
      await open?.close();
      open = undefined;
    };
    return {
      teamId,
      settings: { DATA_DIR: dataDir },
      look: async () => (open ??= await openDatabase({ dataDir: path.join(dataDir, "pglite") })),
      release,
      done: release,
    };
  }

  it("with the new key and the previous one set, re-encrypts everything under the new one; then the previous key can go", async () => {
    const [oldKey, nextKey] = [newKey(), newKey()];
    const db = await database(ringOf(oldKey));
    try {
      // Every instance now reads both keys.
      setEnv({ ...db.settings, AUTH_SECRET: "a".repeat(44), ENCRYPTION_KEY: nextKey, ENCRYPTION_KEY_PREVIOUS: oldKey });
      await expectReadable(await db.look(), db.teamId, keyRing());
      await db.release();

      const r = await rotateKeys();
      expect(r).toMatchObject({ procedure: "environment", keyId: keyId(Buffer.from(nextKey, "base64")), previousKeyId: keyId(Buffer.from(oldKey, "base64")), reencrypted: 5 });
      const h = await db.look();
      expect((await storedKeys(h, db.teamId)).every((s) => s.startsWith(`v2:${r.keyId}:`))).toBe(true);
      // The previous key dropped: everything reads with the new one alone.
      await expectReadable(h, db.teamId, ringOf(nextKey));
      await db.release();
      setEnv({ ENCRYPTION_KEY_PREVIOUS: "" });
      expect(await rotateKeys()).toMatchObject({ reencrypted: 0, alreadyCurrent: 5 });
    } finally {
      await db.done();
    }
  });

  it("a missing or wrong previous key stops it with the setting named, and nothing is changed", async () => {
    const [oldKey, nextKey] = [newKey(), newKey()];
    const db = await database(ringOf(oldKey));
    try {
      const before = await storedKeys(await db.look(), db.teamId);
      await db.release();
      setEnv({ ...db.settings, AUTH_SECRET: "a".repeat(44), ENCRYPTION_KEY: nextKey });
      await expect(rotateKeys()).rejects.toThrow(/^Nothing was re-encrypted: the provider connection \S+ cannot be read\. .*ENCRYPTION_KEY_PREVIOUS is not set.*set ENCRYPTION_KEY_PREVIOUS to the key that was replaced/);
      setEnv({ ENCRYPTION_KEY_PREVIOUS: newKey() });
      await expect(rotateKeys()).rejects.toThrow(/ENCRYPTION_KEY_PREVIOUS is key [0-9a-f]{8}\)/);
      expect(await storedKeys(await db.look(), db.teamId)).toEqual(before);
    } finally {
      await db.done();
    }
  });
});

describe("keys rotate, the generated key (embedded database, DATA_DIR/secrets.json)", () => {
  /** A data folder as a first start leaves it, with three saved keys. */
  async function folder() {
    const dataDir = tempDir();
    setEnv({ DATA_DIR: dataDir });
    const first = keyRing(); // env() generates secrets.json, as the server's first start does
    const h = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
    const teamId = await seed(h, first);
    await h.close();
    return { dataDir, teamId, firstKey: readEmbeddedSecrets(dataDir)!.ENCRYPTION_KEY };
  }
  /** What a server started now would do with the stored keys: read them with the keys its settings name. */
  async function serverReads(dataDir: string, teamId: string) {
    resetEnvForTests();
    const h = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
    try {
      await expectReadable(h, teamId, keyRing());
      return await storedKeys(h, teamId);
    } finally {
      await h.close();
    }
  }
  const crashAt = (step: RotationStep) => ({
    afterStep: (s: RotationStep) => {
      if (s === step) throw new Error(`crash after: ${s}`);
    },
  });

  it("makes a new key, keeps the old one as previous until every key is re-encrypted, then drops it; a crash between steps loses nothing", async () => {
    const { dataDir, teamId, firstKey } = await folder();

    // Crash once the new key is in the file: the file names both keys; the keys are still under the old one.
    await expect(rotateKeys(crashAt("new key written"))).rejects.toThrow("crash after: new key written");
    const mid = readEmbeddedSecrets(dataDir)!;
    expect(mid.ENCRYPTION_KEY_PREVIOUS).toBe(firstKey);
    expect(mid.ENCRYPTION_KEY).not.toBe(firstKey);
    expect(fs.statSync(path.join(dataDir, "secrets.json")).mode & 0o777).toBe(0o600);
    expect((await serverReads(dataDir, teamId)).slice(0, 2).every((s) => s.startsWith(`v2:${keyId(Buffer.from(firstKey, "base64"))}:`))).toBe(true);

    // Run again, and crash once everything is re-encrypted: the same new key (not a third one), both still in the file.
    await expect(rotateKeys(crashAt("re-encrypted"))).rejects.toThrow("crash after: re-encrypted");
    expect(readEmbeddedSecrets(dataDir)).toEqual(mid);
    const newId = keyId(Buffer.from(mid.ENCRYPTION_KEY, "base64"));
    expect((await serverReads(dataDir, teamId)).every((s) => s.startsWith(`v2:${newId}:`))).toBe(true);

    // Run again: it finishes, and the previous key leaves the file.
    expect(await rotateKeys()).toMatchObject({ procedure: "generated", resumed: true, keyId: newId, reencrypted: 0, alreadyCurrent: 5 });
    const after = readEmbeddedSecrets(dataDir)!;
    expect(after).toEqual({ AUTH_SECRET: mid.AUTH_SECRET, ENCRYPTION_KEY: mid.ENCRYPTION_KEY });
    await serverReads(dataDir, teamId);

    // A rotation with no crash: yet another key, everything under it, the file with one key.
    const r = await rotateKeys();
    expect(r).toMatchObject({ resumed: false, reencrypted: 5, previousKeyId: newId });
    expect(readEmbeddedSecrets(dataDir)!.ENCRYPTION_KEY_PREVIOUS).toBeUndefined();
    expect((await serverReads(dataDir, teamId)).every((s) => s.startsWith(`v2:${r.keyId}:`))).toBe(true);
  });

  // Three fresh processes (a server, then the command twice), each loading the app: 16 s on a quiet
  // machine, over 60 s on a busy one.
  it("as a command: refuses while a server runs on the folder (exit 1, says so), works once it is stopped", async () => {
    const { dataDir, teamId } = await folder();
    const admin = () => runAdmin(["keys", "rotate"], { DATA_DIR: dataDir });
    const server = startServerProcess({ DATA_DIR: dataDir });
    await server.started;
    const refused = await admin();
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`is in use by process ${server.child.pid}. Stop that Batchboard first`);
    expect(readEmbeddedSecrets(dataDir)!.ENCRYPTION_KEY_PREVIOUS).toBeUndefined();

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const done = await admin();
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/^New key [0-9a-f]{8} written to .*secrets\.json \(it replaced key [0-9a-f]{8}\)\.\n5 stored key\(s\) re-encrypted/);
    await serverReads(dataDir, teamId);
  }, 180_000);
});
