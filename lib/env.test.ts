import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests, settings } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("settings(): the environment validated, without the secrets", () => {
  it("gives defaults and makes no secrets file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-env-"));
    Object.assign(process.env, { DATA_DIR: dir, NEXT_DIST_DIR: "", PRISMA_ENGINE_DEBUG: "" });
    delete process.env.TEAM_STORAGE_QUOTA_MB;
    delete process.env.MAX_UPLOADS_PER_USER;
    const s = settings();
    expect(s).toMatchObject({ DATA_DIR: dir, NEXT_DIST_DIR: ".next", PRISMA_ENGINE_DEBUG: false, PORT: 3000, TEAM_STORAGE_QUOTA_MB: 0, MAX_UPLOADS_PER_USER: 3 });
    expect(fs.existsSync(path.join(dir, "secrets.json"))).toBe(false);
  });

  it("names the variable a bad value is in", () => {
    process.env.PRISMA_ENGINE_DEBUG = "yes please";
    expect(() => settings()).toThrow(/PRISMA_ENGINE_DEBUG/);
    process.env.PRISMA_ENGINE_DEBUG = "1";
    expect(settings().PRISMA_ENGINE_DEBUG).toBe(true);
  });

  it("checks the email settings together: a sender with a host, a password with a user, a known TLS mode", () => {
    Object.assign(process.env, { SMTP_HOST: "smtp.example.com", SMTP_FROM: "", SMTP_USER: "", SMTP_PASS: "", SMTP_TLS: "", SMTP_PORT: "" });
    expect(() => settings()).toThrow(/SMTP_FROM: set the sender/);
    process.env.SMTP_FROM = "Batchboard <bb@example.com>";
    expect(settings()).toMatchObject({ SMTP_HOST: "smtp.example.com", SMTP_PORT: 587, SMTP_TLS: "starttls" });
    process.env.SMTP_USER = "mailer";
    expect(() => settings()).toThrow(/SMTP_PASS: set the password of SMTP_USER/);
    process.env.SMTP_PASS = "x";
    process.env.SMTP_TLS = "ssl";
    expect(() => settings()).toThrow(/SMTP_TLS/);
    process.env.SMTP_TLS = "tls";
    expect(settings().SMTP_TLS).toBe("tls");
    process.env.PUBLIC_URL = "batchboard.example.com";
    expect(() => settings()).toThrow(/PUBLIC_URL: write the full address/);
  });
});
