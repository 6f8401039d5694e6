// Secrets at rest: a ciphertext names the key that made it, the format before key ids is still read,
// a previous key decrypts during a rotation, and a key the server lacks is named in the message.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, keyId, keyRing, needsReencryption, SecretKeyMismatch } from "./crypto";
import { env, resetEnvForTests } from "./env";

const key = () => crypto.randomBytes(32);
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

/** A secret as the version before key ids wrote it: "v1:iv:ct:tag". */
function v1(plain: string, k: Buffer) {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv("aes-256-gcm", k, iv);
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return ["v1", iv.toString("base64"), data.toString("base64"), c.getAuthTag().toString("base64")].join(":");
}

describe("encryptSecret / decryptSecret", () => {
  it("writes v2 with the current key's id, and reads it back", () => {
    const ring = { current: key() };
    const stored = encryptSecret("sk-live-1234", ring);
    expect(stored.split(":")).toHaveLength(5);
    expect(stored.startsWith(`v2:${keyId(ring.current)}:`)).toBe(true);
    expect(stored).not.toContain("sk-live");
    expect(decryptSecret(stored, ring)).toBe("sk-live-1234");
    expect(needsReencryption(stored, ring)).toBe(false);
  });

  it("reads the format before key ids with either key, and counts it as to re-encrypt", () => {
    const old = key();
    const ring = { current: key(), previous: old };
    expect(decryptSecret(v1("a", ring.current), ring)).toBe("a");
    expect(decryptSecret(v1("b", old), ring)).toBe("b");
    expect(needsReencryption(v1("a", ring.current), ring)).toBe(true);
  });

  it("during a rotation reads what the previous key made; without it, or with a wrong one, says which setting to fix", () => {
    const old = key();
    const made = encryptSecret("sk-old", { current: old });
    const next = key();
    expect(decryptSecret(made, { current: next, previous: old })).toBe("sk-old");
    expect(needsReencryption(made, { current: next, previous: old })).toBe(true);

    const missing = () => decryptSecret(made, { current: next });
    expect(missing).toThrow(SecretKeyMismatch);
    expect(missing).toThrow(`encrypted with key ${keyId(old)}, which this server does not hold (ENCRYPTION_KEY is key ${keyId(next)}, ENCRYPTION_KEY_PREVIOUS is not set)`);
    const wrong = key();
    expect(() => decryptSecret(made, { current: next, previous: wrong })).toThrow(`ENCRYPTION_KEY_PREVIOUS is key ${keyId(wrong)}). During a key rotation, set ENCRYPTION_KEY_PREVIOUS`);
    expect(() => decryptSecret(v1("x", old), { current: next, previous: wrong })).toThrow(/opens with neither key .*set ENCRYPTION_KEY_PREVIOUS to the key that was replaced/);
  });
});

describe("keyRing(): the keys from the settings", () => {
  it("takes ENCRYPTION_KEY_PREVIOUS from the environment, checked like ENCRYPTION_KEY", () => {
    const [a, b] = [key(), key()];
    Object.assign(process.env, { ENCRYPTION_KEY: a.toString("base64"), AUTH_SECRET: "x".repeat(44), ENCRYPTION_KEY_PREVIOUS: b.toString("base64") });
    resetEnvForTests();
    expect(keyRing()).toEqual({ current: a, previous: b });
    process.env.ENCRYPTION_KEY_PREVIOUS = "too-short";
    resetEnvForTests();
    expect(() => env()).toThrow("ENCRYPTION_KEY_PREVIOUS must be 32 bytes in base64");
  });

  it("takes the generated key's previous one from secrets.json, where a rotation left it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-ring-"));
    const [a, b] = [key(), key()];
    fs.writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ AUTH_SECRET: "s", ENCRYPTION_KEY: a.toString("base64"), ENCRYPTION_KEY_PREVIOUS: b.toString("base64") }));
    Object.assign(process.env, { DATA_DIR: dir, DATABASE_URL: "", ENCRYPTION_KEY: "", AUTH_SECRET: "", ENCRYPTION_KEY_PREVIOUS: "" });
    resetEnvForTests();
    expect(keyRing()).toEqual({ current: a, previous: b });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
