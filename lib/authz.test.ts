// Who may call what, kept true. This file finds every route handler (each HTTP method exported by an
// app/**/route.ts) and every server action (each function exported by a "use server" file; every
// teamAction must sit behind one), and fails for any that its table does not list: a new route or
// action cannot land without a line saying who may call it.
// Each line states the lowest role allowed (owner > admin > member > viewer), or "signed-in",
// "public", "sandbox key" or "auth.js", and what a user of another team gets. One runner then calls
// the real handler or action, against a real database, with real Requests, as:
// - a visitor who is signed out: 401 / "Please sign in again." / a redirect to /sign-in;
// - the owner of another team whose team cookie names this team: "not found" (404, NotFoundError)
//   for another team's object, or the call acts in their own team ("own team"); either way this
//   team's rows are unchanged, nothing of this team is in the answer, and they are still not in it;
// - a member one role below the lowest allowed: refused (403, "Your role ... cannot do that"), and
//   this team's rows are unchanged;
// - a member with the lowest role allowed: it works (2xx, { ok: true }, or a redirect onwards);
// - for mutating routes, that member posting from another site's page: 403 (lib/http/origin.ts).
// The session is the seam (lib/test/session.ts): auth() answers the chosen user, next/headers the
// chosen cookies; the membership and role checks after it are the app's own.
// The call that works also writes its row of the audit log (lib/test/audited.ts says which, or why
// none): that action, the caller as actor, the client's address, the object's name.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { visit, visitor } from "@/lib/test/session";
import { AUDITED } from "@/lib/test/audited";
import { PEER_HEADER } from "@/lib/http/client-ip";

vi.mock("@/lib/auth/auth", async (real) => (await import("@/lib/test/session")).authModule(await real()));
vi.mock("next/headers", async () => (await import("@/lib/test/session")).nextHeadersModule);
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { useTempDataDir, addMember, ctxOf, makeUser } = await import("@/lib/teams/fixtures");

const ROOT = path.resolve(import.meta.dirname, "..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const SELF = "http://localhost:3000";
const MARK = /alpha/i; // every name and text of the team under test carries it; nothing else does
const CLIENT_IP = "203.0.113.9"; // every call's socket address (lib/http/client-ip.ts)

// ------------------------------------------------------------------------------------- discovery

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "node_modules" || d.name === "generated" || d.name.startsWith(".") ? [] : walk(rel);
    return /\.(ts|tsx)$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [rel] : [];
  });
}
const sources = ["app", "lib", "components"].flatMap(walk);
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const USE_SERVER_FIRST = /^(?:\s*\/\/[^\n]*\n|\s*\/\*[\s\S]*?\*\/)*\s*["']use server["']/;

/** "app/api/batches/[id]/route.ts" -> "/api/batches/[id]" (route groups dropped). */
const urlOf = (file: string) => "/" + path.dirname(file).split(path.sep).slice(1).filter((s) => !/^\(.*\)$/.test(s)).join("/");
const routeFiles = sources.filter((f) => f.startsWith("app" + path.sep) && path.basename(f) === "route.ts");
const routeModules = new Map<string, Record<string, unknown>>();
for (const f of routeFiles) routeModules.set(urlOf(f), await import(/* @vite-ignore */ path.join(ROOT, f)));
const routes = [...routeModules].flatMap(([url, mod]) => Object.keys(mod).filter((k) => HTTP_METHODS.includes(k)).map((m) => `${m} ${url}`));

const actionFiles = sources.filter((f) => USE_SERVER_FIRST.test(read(f)));
const actionModules = new Map<string, Record<string, unknown>>();
for (const f of actionFiles) actionModules.set(f, await import(/* @vite-ignore */ path.join(ROOT, f)));
const actions = [...actionModules].flatMap(([f, mod]) => Object.entries(mod).filter(([, v]) => typeof v === "function").map(([name]) => `${f} ${name}`));
const action = <F,>(key: string) => {
  const [f, name] = key.split(" ");
  return actionModules.get(f)?.[name] as F;
};

// ----------------------------------------------------------------------------------- the world

let h: DbHandle;
let sandbox: { url: string; close(): Promise<void> };
const A = { id: "", sandboxConnectionId: "" };
let B = { id: "" };
const users = {} as Record<Role | "foreign" | "newcomer", { id: string; email: string }>;
let n = 0;
const seq = () => ++n;

type Lib = {
  prisma: DbHandle["prisma"];
  launchBatch: typeof import("@/lib/batches/engine/launch").launchBatch;
  launchJob: typeof import("@/lib/batches/jobs").launchJob;
  seedBatch: typeof import("@/lib/results/results.fixtures").seedBatch;
  createInvite: typeof import("@/lib/teams/invites").createInvite;
  saveTemplate: typeof import("@/lib/templates/templates").saveTemplate;
  addPrice: typeof import("@/lib/pricing/prices").addPrice;
  sandboxKeyForTeam: typeof import("@/lib/providers/sandbox/keys").sandboxKeyForTeam;
  encryptSecret: typeof import("@/lib/crypto").encryptSecret;
  handleSandboxRequest: typeof import("@/lib/providers/sandbox/server").handleSandboxRequest;
  hashPassword: typeof import("@/lib/auth/password").hashPassword;
  createToken: typeof import("@/lib/api/tokens").createToken;
};
/** API tokens (made in beforeAll): a member's and a read-only one of team A, and one of team B's owner. */
const tokens = { member: "", read: "", foreign: "" };
let lib: Lib;
const ownerCtx = () => ctxOf(lib.prisma, users.OWNER.id, A.id);
const key = () => crypto.randomUUID();

/** Fresh objects of team A, made before each call (a call may delete or change what it is given). */
const make = {
  async file(requests = 3) {
    const f = await lib.prisma.inputFile.create({
      data: { teamId: A.id, name: `alpha-file-${seq()}.jsonl`, format: "jsonl", bytes: BigInt(400), lineCount: requests, requestCount: requests, endpoint: "/v1/chat/completions", models: ["batch-test-model"], status: "valid" },
    });
    await lib.prisma.request.createMany({
      data: Array.from({ length: requests }, (_, i) => ({ fileId: f.id, line: i + 1, customId: `alpha-${i + 1}`, model: "batch-test-model", prompt: `alpha question ${i + 1}`, body: { model: "batch-test-model", messages: [{ role: "user", content: `alpha question ${i + 1}` }] } })),
    });
    return f;
  },
  /** A finished batch: one answer, one failure. */
  async batch() {
    const owner = await lib.prisma.user.findUniqueOrThrow({ where: { id: users.OWNER.id }, select: { id: true, email: true, name: true } });
    const t = { user: owner, team: await lib.prisma.team.findUniqueOrThrow({ where: { id: A.id } }), connection: await lib.prisma.providerConnection.findUniqueOrThrow({ where: { id: A.sandboxConnectionId } }) };
    const rows = [{ customId: "alpha-1", prompt: "alpha question", result: { ok: true as const, content: "alpha answer" } }, { customId: "alpha-2", prompt: "alpha failing question", result: { ok: false as const, code: "server_error", message: "alpha boom" } }];
    const { file, batch } = await lib.seedBatch(lib.prisma, t, rows, { name: `alpha batch ${seq()}` });
    await lib.prisma.inputFile.update({ where: { id: file.id }, data: { name: `alpha-seeded-${seq()}.jsonl` } });
    return batch;
  },
  /** A batch running on the sandbox (at 10 minutes a request it stays running). */
  async liveBatch() {
    const file = await make.file();
    const { batchId } = await lib.launchBatch({ connectionId: A.sandboxConnectionId, inputFileId: file.id, endpoint: "/v1/chat/completions", completionWindow: "24h", name: `alpha live ${seq()}`, idempotencyKey: key() }, await ownerCtx());
    return { id: batchId };
  },
  /** A running batch last polled a minute ago ("Check now" refuses within 10 s of a poll). */
  async staleBatch() {
    const b = await make.liveBatch();
    await lib.prisma.batch.update({ where: { id: b.id }, data: { lastPolledAt: new Date(Date.now() - 60_000) } });
    return b;
  },
  /** A batch running on a connection to the Sandbox's imitation of Anthropic. */
  async anthropicBatch() {
    const k = lib.sandboxKeyForTeam(A.id);
    const conn = await lib.prisma.providerConnection.create({ data: { teamId: A.id, kind: "anthropic", name: `alpha claude ${seq()}`, baseUrl: "builtin:anthropic", encryptedKey: lib.encryptSecret(k), keyLast4: k.slice(-4), createdById: users.OWNER.id } });
    const file = await make.file();
    const { batchId } = await lib.launchBatch({ connectionId: conn.id, inputFileId: file.id, endpoint: "/v1/chat/completions", completionWindow: "24h", name: `alpha claude batch ${seq()}`, idempotencyKey: key() }, await ownerCtx());
    return { id: batchId };
  },
  /** An OpenAI-compatible connection (to the sandbox) that takes two requests a batch. */
  async customConnection() {
    return lib.prisma.providerConnection.create({
      data: { teamId: A.id, kind: "openai-compatible", name: `alpha custom ${seq()}`, baseUrl: "builtin", encryptedKey: lib.encryptSecret(lib.sandboxKeyForTeam(A.id)), keyLast4: "xxxx", limits: { maxRequests: 2 }, createdById: users.OWNER.id },
    });
  },
  /** A connection to a provider of its own, with a key (never called here). */
  async keyedConnection() {
    return lib.prisma.providerConnection.create({
      data: { teamId: A.id, kind: "openai-compatible", name: `alpha keyed ${seq()}`, baseUrl: "https://llm.alpha.test/v1", encryptedKey: lib.encryptSecret("sk-alpha-key-1234"), keyLast4: "1234", createdById: users.OWNER.id },
    });
  },
  /** A connection to the sandbox's imitation of Groq (the built-in Sandbox one cannot be renamed or deleted). */
  async connection() {
    const k = lib.sandboxKeyForTeam(A.id);
    return lib.prisma.providerConnection.create({ data: { teamId: A.id, kind: "groq", name: `alpha imitation ${seq()}`, baseUrl: "builtin:groq", encryptedKey: lib.encryptSecret(k), keyLast4: k.slice(-4), createdById: users.OWNER.id } });
  },
  /** A file of three requests and a connection that takes two a batch: launched as a job of two parts. */
  async splittable() {
    const [file, connection] = await Promise.all([make.file(3), make.customConnection()]);
    return { fileId: file.id, connectionId: connection.id };
  },
  async batchPair() {
    return { a: await make.batch(), b: await make.batch() };
  },
  /** A job of two parts, both running. */
  async job() {
    const { fileId, connectionId } = await make.splittable();
    const out = await lib.launchJob({ connectionId, inputFileId: fileId, endpoint: "/v1/chat/completions", completionWindow: "24h", name: `alpha job ${seq()}`, idempotencyKey: key() }, await ownerCtx());
    if (out.refused || out.launched !== 2) throw new Error(`job fixture: ${JSON.stringify(out)}`);
    return { id: out.jobId };
  },
  /** A job of two parts scheduled for tomorrow: both wait in the queue. */
  async queuedPart() {
    const { fileId, connectionId } = await make.splittable();
    const startAt = new Date(Date.now() + 24 * 3600_000);
    const out = await lib.launchJob({ connectionId, inputFileId: fileId, endpoint: "/v1/chat/completions", completionWindow: "24h", name: `alpha scheduled ${seq()}`, idempotencyKey: key(), startAt }, await ownerCtx());
    const part = await lib.prisma.queuedPart.findFirstOrThrow({ where: { jobId: out.jobId, state: "queued" }, orderBy: { part: "asc" } });
    return { id: part.id };
  },
  async price() {
    return lib.addPrice(lib.prisma, await ownerCtx(), { providerKind: "openai", model: `alpha-model-${seq()}`, window: "", currency: "USD", inputPerMTok: 1, outputPerMTok: 2 });
  },
  async template() {
    return lib.saveTemplate(lib.prisma, await ownerCtx(), { name: `alpha template ${seq()}`, mapping: csvMapping });
  },
  async invite() {
    const r = await lib.createInvite(lib.prisma, await ownerCtx(), { role: "VIEWER", days: 7 });
    return { id: r.invite.id, token: r.token };
  },
  /** Another viewer of team A. */
  async member() {
    const u = await makeUser(lib.prisma, `Alpha extra ${seq()}`);
    return lib.prisma.membership.create({ data: { teamId: A.id, userId: u.user.id, role: "VIEWER" } });
  },
  /** The visitor's own membership of A (they leave), or another viewer's for a visitor outside A. */
  async leaver() {
    const own = visitor.userId ? await lib.prisma.membership.findFirst({ where: { teamId: A.id, userId: visitor.userId } }) : null;
    return own ?? make.member();
  },
  async webhook() {
    return lib.prisma.webhook.create({
      data: { teamId: A.id, name: `alpha hook ${seq()}`, encryptedUrl: lib.encryptSecret("https://hooks.alpha.test/x"), urlHint: "https://hooks.alpha.test/…/x", format: "slack", events: ["batch.completed"], createdById: users.OWNER.id },
    });
  },
  /** A notification in team A: the visitor's own when they are a member of A, else the owner's. */
  async notification() {
    const mine = visitor.userId ? await lib.prisma.membership.findFirst({ where: { teamId: A.id, userId: visitor.userId } }) : null;
    const event = await lib.prisma.notificationEvent.create({ data: { teamId: A.id, type: "batch.completed", key: `alpha-${seq()}`, title: "alpha batch completed", body: "alpha", data: {} } });
    return lib.prisma.notification.create({ data: { eventId: event.id, teamId: A.id, userId: mine ? visitor.userId! : users.OWNER.id } });
  },
  /** An API token of the visitor in team A, or of A's owner for a visitor outside A. */
  async token() {
    const own = visitor.userId ? await lib.prisma.membership.findFirst({ where: { teamId: A.id, userId: visitor.userId } }) : null;
    const userId = own ? visitor.userId! : users.OWNER.id;
    const role = own?.role ?? "OWNER";
    return lib.createToken(lib.prisma, { user: { id: userId }, team: { id: A.id }, role }, { name: `alpha token ${seq()}`, scope: "role", days: 30, allowedConnectionIds: [] });
  },
  async sandboxFile() {
    const form = new FormData();
    form.append("purpose", "batch");
    form.append("file", new Blob([`{"custom_id":"alpha-1","method":"POST","url":"/v1/chat/completions","body":{"model":"batch-test-model","messages":[]}}\n`]), "alpha.jsonl");
    const res = await lib.handleSandboxRequest(new Request(`${SELF}/api/sandbox/v1/files`, { method: "POST", body: form, headers: { authorization: `Bearer ${lib.sandboxKeyForTeam(A.id)}` } }));
    return (await res.json()) as { id: string };
  },
  async sandboxBatch() {
    const file = await make.sandboxFile();
    const res = await lib.handleSandboxRequest(
      new Request(`${SELF}/api/sandbox/v1/batches`, { method: "POST", body: JSON.stringify({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" }), headers: { authorization: `Bearer ${lib.sandboxKeyForTeam(A.id)}`, "content-type": "application/json" } }),
    );
    return (await res.json()) as { id: string };
  },
};
type Make = typeof make;

const csvMapping = { customId: { from: "row" as const, prefix: "row-", digits: 6 }, template: "{{question}}", model: "batch-test-model", endpoint: "/v1/chat/completions" as const, params: {}, extra: {} };

// ----------------------------------------------------------------------------- calling things

/** What the current round sends: the sandbox key, and the Origin of a mutating request. */
const round = { sandboxKey: null as string | null, origin: SELF };

/** A request to a route handler, as Next would hand it over (params from the path). */
function call(method: string, url: string, params: Record<string, string | string[]> = {}, init: { query?: string; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const mod = routeModules.get(url);
  const handler = mod?.[method] as ((req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>) | undefined;
  if (!handler) throw new Error(`no ${method} ${url}`);
  const p = url.replace(/\[\.\.\.(\w+)\]|\[(\w+)\]/g, (_, rest, one) => (rest ? (params[rest] as string[]).join("/") : encodeURIComponent(params[one] as string)));
  const headers: Record<string, string> = { host: "localhost:3000", ...(MUTATING.has(method) ? { origin: round.origin } : {}), ...init.headers };
  if (round.sandboxKey) headers.authorization = `Bearer ${round.sandboxKey}`;
  const req = new Request(`${SELF}${p}${init.query ?? ""}`, { method, headers, body: init.body, duplex: "half" } as RequestInit);
  return handler(req, { params: Promise.resolve(params) });
}

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

function uploadBody() {
  const f = new FormData();
  f.append("endpoint", "/v1/chat/completions");
  f.append("file", new Blob([`{"custom_id":"b-1","method":"POST","url":"/v1/chat/completions","body":{"model":"m","messages":[{"role":"user","content":"hi"}]}}\n`]), "upload.jsonl");
  return f;
}

type Thunk = () => Promise<unknown>;
type Setup = (m: Make) => Promise<Thunk>;
/** A call that needs a fresh object of team A: `on("batch", (b) => ...)`. */
const on =
  <K extends keyof Make>(kind: K, run: (o: Awaited<ReturnType<Make[K]>>) => Promise<unknown>): Setup =>
  async (m) => {
    const o = (await m[kind]()) as Awaited<ReturnType<Make[K]>>;
    return () => run(o);
  };
/** A call that needs nothing made first. */
const now = (run: Thunk): Setup => async () => run;

// ------------------------------------------------------------------------------------- outcomes

type Kind = "ok" | "signed-out" | "forbidden" | "not-found" | "not-allowed" | "refused";
interface Outcome {
  kind: Kind;
  text: string;
}

/** What a call answered; `signedIn`: whether the caller was (a redirect to /sign-in is then on purpose: sign out). */
async function outcomeOf(thunk: Thunk, signedIn: boolean): Promise<Outcome> {
  try {
    const r = await thunk();
    if (r instanceof Response) {
      const text = await r.text();
      const s = r.status;
      const where = r.headers.get("location") ?? "";
      const kind: Kind = s >= 200 && s < 300 ? "ok" : s === 401 ? "signed-out" : s === 403 ? "forbidden" : s === 404 ? "not-found" : s === 405 ? "not-allowed" : s >= 300 && s < 400 && !/error/i.test(where) ? "ok" : "refused";
      return { kind, text: `${s} ${where} ${text}` };
    }
    const res = r as { ok?: boolean; message?: string } | undefined;
    const text = JSON.stringify(r) ?? "";
    if (res?.ok) return { kind: "ok", text };
    const msg = res?.message ?? "";
    if (msg === "Please sign in again.") return { kind: "signed-out", text };
    if (/cannot do that|only the team's owners and admins/i.test(msg)) return { kind: "forbidden", text };
    if (/not found|not valid/i.test(msg)) return { kind: "not-found", text };
    return { kind: "refused", text };
  } catch (err) {
    const digest = (err as { digest?: string }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) {
      const to = digest.split(";")[2] ?? "";
      return { kind: to.startsWith("/sign-in") && !signedIn ? "signed-out" : "ok", text: `redirect ${to}` };
    }
    throw err;
  }
}

/** Every row of team A that a call could change, a digest per table: equal before and after means untouched. */
async function teamRows() {
  const p = lib.prisma;
  const where = { teamId: A.id };
  const names = ["team", "memberships", "invites", "connections", "files", "batches", "jobs", "templates", "prices", "sandboxFiles", "sandboxBatches", "webhooks", "notifications", "preferences"];
  const parts = await Promise.all([
    p.team.findUnique({ where: { id: A.id } }),
    p.membership.findMany({ where, orderBy: { id: "asc" } }),
    p.invite.findMany({ where, orderBy: { id: "asc" } }),
    p.providerConnection.findMany({ where, orderBy: { id: "asc" } }),
    p.inputFile.findMany({ where, orderBy: { id: "asc" } }),
    p.batch.findMany({ where, orderBy: { id: "asc" } }),
    p.job.findMany({ where, orderBy: { id: "asc" } }),
    p.promptTemplate.findMany({ where, orderBy: { id: "asc" } }),
    p.price.findMany({ where, orderBy: { id: "asc" } }),
    p.sandboxFile.findMany({ where, orderBy: { id: "asc" } }),
    p.sandboxBatch.findMany({ where, orderBy: { id: "asc" } }),
    p.webhook.findMany({ where, orderBy: { id: "asc" } }),
    p.notification.findMany({ where, orderBy: { id: "asc" } }),
    p.notificationPreference.findMany({ where, orderBy: [{ userId: "asc" }, { type: "asc" }] }),
  ]);
  const digest = (v: unknown) => crypto.createHash("sha256").update(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x))).digest("hex").slice(0, 12);
  return Object.fromEntries(parts.map((rows, i) => [names[i], digest(rows)]));
}

// ---------------------------------------------------------------------------------------- table

// "api token, no such method": a method the API takes nowhere (PUT, PATCH; the Anthropic API's DELETE),
// exported so that it is answered in the API's own shape: every token gets a 405 and nothing changes.
type Access = Role | "signed-in" | "public" | "sandbox key" | "auth.js" | "api token" | "api token, member" | "api token, no such method";
/** What the owner of another team gets: "not found", or the call acts in their own team, or why neither applies. */
type Foreign = "not found" | "own team" | `n/a: ${string}`;
type Entry = [access: Access, foreign: Foreign, setup: Setup];

const r = (u: string) => u; // route keys read as in the file tree
const batchId = (b: { id: string }) => ({ id: b.id });

const table: Record<string, Entry> = {
  // Routes
  [`GET ${r("/api/auth/[...nextauth]")}`]: ["public", "n/a: Auth.js's session and CSRF endpoints", now(() => call("GET", "/api/auth/[...nextauth]", { nextauth: ["session"] }))],
  [`POST ${r("/api/auth/[...nextauth]")}`]: ["auth.js", "n/a: Auth.js checks its own CSRF token", now(() => call("POST", "/api/auth/[...nextauth]", { nextauth: ["signout"] }, { body: form({}), headers: { origin: "https://evil.example" } }))],
  "GET /api/audit/export.csv": ["ADMIN", "own team", now(() => call("GET", "/api/audit/export.csv"))],
  "GET /api/batches": ["VIEWER", "own team", now(() => call("GET", "/api/batches"))],
  "GET /api/overview": ["VIEWER", "own team", now(() => call("GET", "/api/overview"))],
  "GET /api/overview/spend.csv": ["VIEWER", "own team", now(() => call("GET", "/api/overview/spend.csv"))],
  "GET /api/batches/[id]": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]", batchId(b)))],
  "GET /api/batches/[id]/errors.jsonl": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/errors.jsonl", batchId(b)))],
  "GET /api/batches/[id]/export.csv": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/export.csv", batchId(b)))],
  "GET /api/batches/[id]/export.jsonl": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/export.jsonl", batchId(b)))],
  "GET /api/batches/[id]/lineage": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/lineage", batchId(b)))],
  "GET /api/batches/[id]/merged": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/merged", batchId(b)))],
  "GET /api/batches/[id]/merged.csv": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/merged.csv", batchId(b)))],
  "GET /api/batches/[id]/output.jsonl": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/output.jsonl", batchId(b)))],
  "GET /api/batches/[id]/results": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/results", batchId(b)))],
  "GET /api/batches/[id]/retry": ["VIEWER", "not found", on("batch", (b) => call("GET", "/api/batches/[id]/retry", batchId(b)))],
  "GET /api/compare/export.csv": ["VIEWER", "not found", on("batchPair", ({ a, b }) => call("GET", "/api/compare/export.csv", {}, { query: `?a=${a.id}&b=${b.id}` }))],
  "GET /api/files/[id]/problems.csv": ["VIEWER", "not found", on("file", (f) => call("GET", "/api/files/[id]/problems.csv", { id: f.id }))],
  "GET /api/jobs/[id]": ["VIEWER", "not found", on("job", (j) => call("GET", "/api/jobs/[id]", { id: j.id }))],
  "GET /api/jobs/[id]/export.csv": ["VIEWER", "not found", on("job", (j) => call("GET", "/api/jobs/[id]/export.csv", { id: j.id }))],
  "GET /api/sandbox/[...path]": ["sandbox key", "not found", on("sandboxFile", (f) => call("GET", "/api/sandbox/[...path]", { path: ["v1", "files", f.id] }))],
  "POST /api/sandbox/[...path]": ["sandbox key", "not found", on("sandboxBatch", (b) => call("POST", "/api/sandbox/[...path]", { path: ["v1", "batches", b.id, "cancel"] }))],
  "DELETE /api/sandbox/[...path]": ["sandbox key", "not found", on("sandboxFile", (f) => call("DELETE", "/api/sandbox/[...path]", { path: ["v1", "files", f.id] }))],
  "POST /api/uploads": ["MEMBER", "own team", now(() => call("POST", "/api/uploads", {}, { body: uploadBody() }))],
  "GET /api/anthropic/v1/[...path]": ["api token", "not found", on("anthropicBatch", (b) => call("GET", "/api/anthropic/v1/[...path]", { path: ["messages", "batches", b.id] }))],
  "POST /api/anthropic/v1/[...path]": ["api token, member", "not found", on("anthropicBatch", (b) => call("POST", "/api/anthropic/v1/[...path]", { path: ["messages", "batches", b.id, "cancel"] }))],
  "GET /api/v1/[...path]": ["api token", "not found", on("file", (f) => call("GET", "/api/v1/[...path]", { path: ["files", f.id] }))],
  "POST /api/v1/[...path]": ["api token, member", "not found", on("liveBatch", (b) => call("POST", "/api/v1/[...path]", { path: ["batches", b.id, "cancel"] }))],
  "DELETE /api/v1/[...path]": ["api token, member", "not found", on("file", (f) => call("DELETE", "/api/v1/[...path]", { path: ["files", f.id] }))],
  "PUT /api/v1/[...path]": ["api token, no such method", "n/a: no team's object is looked up", on("file", (f) => call("PUT", "/api/v1/[...path]", { path: ["files", f.id] }))],
  "PATCH /api/v1/[...path]": ["api token, no such method", "n/a: no team's object is looked up", on("liveBatch", (b) => call("PATCH", "/api/v1/[...path]", { path: ["batches", b.id] }))],
  "PUT /api/anthropic/v1/[...path]": ["api token, no such method", "n/a: no team's object is looked up", on("anthropicBatch", (b) => call("PUT", "/api/anthropic/v1/[...path]", { path: ["messages", "batches", b.id] }))],
  "PATCH /api/anthropic/v1/[...path]": ["api token, no such method", "n/a: no team's object is looked up", on("anthropicBatch", (b) => call("PATCH", "/api/anthropic/v1/[...path]", { path: ["messages", "batches", b.id] }))],
  "DELETE /api/anthropic/v1/[...path]": ["api token, no such method", "n/a: no team's object is looked up", on("anthropicBatch", (b) => call("DELETE", "/api/anthropic/v1/[...path]", { path: ["messages", "batches", b.id] }))],

  // Server actions
  "lib/api/tokens.action.ts createTokenAction": ["VIEWER", "own team", now(() => act2("lib/api/tokens.action.ts createTokenAction", form({ name: `new token ${seq()}`, scope: "role", days: "30" })))],
  "lib/api/tokens.action.ts revokeTokenAction": ["VIEWER", "not found", on("token", (t) => act2("lib/api/tokens.action.ts revokeTokenAction", form({ tokenId: t.id })))],
  "lib/auth/account.action.ts signInAction": ["public", "n/a: no team yet", now(() => action<Fn2>("lib/auth/account.action.ts signInAction")({ ok: false }, form({ email: users.newcomer.email, password: "a-long-password-1" })))],
  "lib/auth/account.action.ts signUpAction": ["public", "n/a: no team yet", now(() => action<Fn2>("lib/auth/account.action.ts signUpAction")({ ok: false }, form({ name: "New", email: `new-${seq()}@example.com`, password: "a-long-password-1" })))],
  "lib/i18n/preferences.action.ts setLocaleAction": ["public", "n/a: the caller's own language (a cookie, and their own row when signed in)", now(() => action<Fn1>("lib/i18n/preferences.action.ts setLocaleAction")(form({ locale: "zh-CN" })))],
  "lib/i18n/preferences.action.ts setThemeAction": ["public", "n/a: the caller's own theme (a cookie, and their own row when signed in)", now(() => action<Fn1>("lib/i18n/preferences.action.ts setThemeAction")(form({ theme: "dark" })))],
  "lib/i18n/preferences.action.ts setTimeZoneAction": ["public", "n/a: the browser's own time zone (a cookie)", now(() => action<Fn1>("lib/i18n/preferences.action.ts setTimeZoneAction")(form({ timeZone: "Asia/Shanghai" })))],
  "lib/auth/session.action.ts signOutAction": ["signed-in", "own team", now(() => action<Fn0>("lib/auth/session.action.ts signOutAction")())],
  "lib/auth/session.action.ts switchTeamAction": ["signed-in", "own team", now(() => action<Fn1>("lib/auth/session.action.ts switchTeamAction")(form({ teamId: A.id })))],
  "lib/auth/session.action.ts changePasswordAction": ["signed-in", "n/a: it changes the caller's own password", now(async () => {
    await lib.prisma.user.update({ where: { id: users.newcomer.id }, data: { passwordHash: await lib.hashPassword("Old-password-1") } });
    const next = `New-password-${seq()}!`;
    return action<Fn2>("lib/auth/session.action.ts changePasswordAction")({ ok: false }, form({ currentPassword: "Old-password-1", newPassword: next, repeatPassword: next }));
  })],
  "lib/auth/session.action.ts signOutEverywhereAction": ["signed-in", "n/a: it ends the caller's own sessions", now(() => action<Fn0>("lib/auth/session.action.ts signOutEverywhereAction")())],
  "lib/batches/actions.ts launchBatchAction": ["MEMBER", "not found", on("file", (f) => act("lib/batches/actions.ts launchBatchAction", { connectionId: A.sandboxConnectionId, inputFileId: f.id, endpoint: "/v1/chat/completions", completionWindow: "24h", name: "alpha launched", idempotencyKey: key() }))],
  "lib/batches/actions.ts cancelBatchAction": ["MEMBER", "not found", on("liveBatch", (b) => act("lib/batches/actions.ts cancelBatchAction", { batchId: b.id }))],
  "lib/batches/actions.ts checkBatchNowAction": ["MEMBER", "not found", on("staleBatch", (b) => act("lib/batches/actions.ts checkBatchNowAction", { batchId: b.id }))],
  "lib/batches/actions.ts planSplitAction": ["VIEWER", "not found", on("file", (f) => act("lib/batches/actions.ts planSplitAction", { connectionId: A.sandboxConnectionId, inputFileId: f.id, endpoint: "/v1/chat/completions" }))],
  "lib/batches/actions.ts checkLaunchAction": ["VIEWER", "not found", on("file", (f) => act("lib/batches/actions.ts checkLaunchAction", { connectionId: A.sandboxConnectionId, inputFileId: f.id, endpoint: "/v1/chat/completions" }))],
  "lib/batches/actions.ts launchJobAction": ["MEMBER", "not found", on("splittable", (s) => act("lib/batches/actions.ts launchJobAction", { connectionId: s.connectionId, inputFileId: s.fileId, endpoint: "/v1/chat/completions", completionWindow: "24h", name: "alpha job", idempotencyKey: key() }))],
  "lib/batches/actions.ts launchRemainingPartsAction": ["MEMBER", "not found", on("job", (j) => act("lib/batches/actions.ts launchRemainingPartsAction", { jobId: j.id }))],
  "lib/batches/actions.ts cancelJobAction": ["MEMBER", "not found", on("job", (j) => act("lib/batches/actions.ts cancelJobAction", { jobId: j.id }))],
  "lib/batches/actions.ts cancelQueuedPartAction": ["MEMBER", "not found", on("queuedPart", (q) => act("lib/batches/actions.ts cancelQueuedPartAction", { partId: q.id }))],
  "lib/batches/history/import.action.ts importBatchesAction": ["MEMBER", "not found", on("sandboxBatch", (b) => act("lib/batches/history/import.action.ts importBatchesAction", { connectionId: A.sandboxConnectionId, providerBatchIds: [b.id] }))],
  "lib/batches/retry.action.ts retryBatchAction": ["MEMBER", "not found", on("batch", (b) => act("lib/batches/retry.action.ts retryBatchAction", { batchId: b.id, failed: true, missing: false, connectionId: A.sandboxConnectionId, completionWindow: "24h", idempotencyKey: key() }))],
  "lib/batches/sample.action.ts launchSampleAction": ["MEMBER", "own team", now(() => act("lib/batches/sample.action.ts launchSampleAction", {}))],
  "lib/batches/read/summary.action.ts batchSummaryAction": ["VIEWER", "not found", on("batch", (b) => act("lib/batches/read/summary.action.ts batchSummaryAction", [b.id]))],
  "lib/batches/provider-files.action.ts deleteProviderFileAction": ["ADMIN", "not found", on("sandboxFile", (f) => act("lib/batches/provider-files.action.ts deleteProviderFileAction", { connectionId: A.sandboxConnectionId, fileId: f.id }))],
  "lib/batches/provider-files.action.ts deleteUnusedProviderFilesAction": ["ADMIN", "not found", on("connection", (c) => act("lib/batches/provider-files.action.ts deleteUnusedProviderFilesAction", { connectionId: c.id }))],
  "lib/batches/provider-files.action.ts saveFileSettingsAction": ["ADMIN", "not found", on("connection", (c) => act2("lib/batches/provider-files.action.ts saveFileSettingsAction", form({ connectionId: c.id, deleteInputFiles: "" })))],
  "lib/csv/preview.action.ts previewCsvAction": ["MEMBER", "own team", now(() => act("lib/csv/preview.action.ts previewCsvAction", csvHead()))],
  "lib/budgets/budgets.action.ts saveTeamBudgetAction": ["ADMIN", "own team", now(() => act2("lib/budgets/budgets.action.ts saveTeamBudgetAction", form({ monthlyBudget: String(100 + seq()), currency: "USD", enforce: "on" })))],
  "lib/budgets/budgets.action.ts saveConnectionBudgetAction": ["ADMIN", "not found", on("connection", (c) => act2("lib/budgets/budgets.action.ts saveConnectionBudgetAction", form({ connectionId: c.id, monthlyBudget: String(50 + seq()) })))],
  "lib/pricing/actions.ts addPriceAction": ["ADMIN", "own team", now(() => act2("lib/pricing/actions.ts addPriceAction", form({ providerKind: "openai", model: `new-model-${seq()}`, inputPerMTok: "1", outputPerMTok: "2" })))],
  "lib/pricing/actions.ts updatePriceAction": ["ADMIN", "not found", on("price", (p) => act2("lib/pricing/actions.ts updatePriceAction", form({ id: p.id, providerKind: "openai", model: `changed-${seq()}`, inputPerMTok: "3", outputPerMTok: "4" })))],
  "lib/pricing/actions.ts deletePriceAction": ["ADMIN", "not found", on("price", (p) => act2("lib/pricing/actions.ts deletePriceAction", form({ id: p.id })))],
  "lib/pricing/actions.ts estimateCostAction": ["VIEWER", "not found", on("file", (f) => act("lib/pricing/actions.ts estimateCostAction", { fileId: f.id }))],
  "lib/providers/connections.action.ts addConnectionAction": ["ADMIN", "own team", now(() => act2("lib/providers/connections.action.ts addConnectionAction", form({ target: "sandbox", kind: "groq", name: `new ${seq()}` })))],
  "lib/providers/connections.action.ts testConnectionAction": ["ADMIN", "not found", on("connection", (c) => act2("lib/providers/connections.action.ts testConnectionAction", form({ connectionId: c.id })))],
  "lib/providers/connections.action.ts renameConnectionAction": ["ADMIN", "not found", on("connection", (c) => act2("lib/providers/connections.action.ts renameConnectionAction", form({ connectionId: c.id, name: `renamed ${seq()}` })))],
  "lib/providers/connections.action.ts replaceKeyAction": ["ADMIN", "not found", on("keyedConnection", (c) => act2("lib/providers/connections.action.ts replaceKeyAction", form({ connectionId: c.id, apiKey: "sk-replaced-key-123" })))],
  "lib/providers/connections.action.ts deleteConnectionAction": ["ADMIN", "not found", on("connection", (c) => act2("lib/providers/connections.action.ts deleteConnectionAction", form({ connectionId: c.id })))],
  "lib/providers/connections.action.ts editQueueLimitsAction": ["ADMIN", "not found", on("customConnection", (c) => act("lib/providers/connections.action.ts editQueueLimitsAction", { connectionId: c.id, maxUnfinished: "5" }))],
  "lib/providers/connections.action.ts editLimitsAction": ["ADMIN", "not found", on("customConnection", (c) => act("lib/providers/connections.action.ts editLimitsAction", { connectionId: c.id, maxRequests: "5" }))],
  "lib/teams/invites.action.ts createInviteAction": ["ADMIN", "own team", now(() => act2("lib/teams/invites.action.ts createInviteAction", form({ role: "VIEWER", days: "7" })))],
  "lib/teams/invites.action.ts revokeInviteAction": ["ADMIN", "not found", on("invite", (i) => act2("lib/teams/invites.action.ts revokeInviteAction", form({ inviteId: i.id })))],
  "lib/teams/invites.action.ts acceptInviteAction": ["signed-in", "n/a: the invite link is the permission", on("invite", (i) => act2("lib/teams/invites.action.ts acceptInviteAction", form({ token: i.token })))],
  "lib/teams/members.action.ts changeRoleAction": ["ADMIN", "not found", on("member", (m) => act2("lib/teams/members.action.ts changeRoleAction", form({ membershipId: m.id, role: "MEMBER" })))],
  "lib/teams/members.action.ts removeMemberAction": ["VIEWER", "not found", on("leaver", (m) => act2("lib/teams/members.action.ts removeMemberAction", form({ membershipId: m.id })))],
  "lib/teams/members.action.ts createTeamAction": ["signed-in", "own team", now(() => act2("lib/teams/members.action.ts createTeamAction", form({ name: `New team ${seq()}` })))],
  "lib/files/files.action.ts deleteFileAction": ["MEMBER", "not found", on("file", (f) => act2("lib/files/files.action.ts deleteFileAction", form({ fileId: f.id })))],
  "lib/notify/notify.action.ts inboxAction": ["VIEWER", "own team", now(() => action<Fn0>("lib/notify/notify.action.ts inboxAction")())],
  "lib/notify/notify.action.ts markReadAction": ["VIEWER", "not found", on("notification", (n) => act("lib/notify/notify.action.ts markReadAction", { id: n.id }))],
  "lib/notify/notify.action.ts markAllReadAction": ["VIEWER", "own team", now(() => action<Fn0>("lib/notify/notify.action.ts markAllReadAction")())],
  "lib/notify/notify.action.ts savePreferencesAction": ["VIEWER", "own team", now(() => act2("lib/notify/notify.action.ts savePreferencesAction", form({ "inApp:batch.completed": "on", "email:batch.failed": "on" })))],
  "lib/notify/notify.action.ts addWebhookAction": ["ADMIN", "own team", now(() => act2("lib/notify/notify.action.ts addWebhookAction", form({ name: `new hook ${seq()}`, url: "https://hooks.example.test/x", format: "slack", events: "batch.completed" })))],
  "lib/notify/notify.action.ts setWebhookEnabledAction": ["ADMIN", "not found", on("webhook", (w) => act2("lib/notify/notify.action.ts setWebhookEnabledAction", form({ webhookId: w.id, enabled: "false" })))],
  "lib/notify/notify.action.ts deleteWebhookAction": ["ADMIN", "not found", on("webhook", (w) => act2("lib/notify/notify.action.ts deleteWebhookAction", form({ webhookId: w.id })))],
  "lib/notify/notify.action.ts sendTestEventAction": ["ADMIN", "not found", on("webhook", (w) => act2("lib/notify/notify.action.ts sendTestEventAction", form({ webhookId: w.id })))],
  "lib/templates/templates.action.ts saveTemplateAction": ["MEMBER", "own team", now(() => act("lib/templates/templates.action.ts saveTemplateAction", { name: `new template ${seq()}`, mapping: csvMapping }))],
  "lib/templates/templates.action.ts renameTemplateAction": ["MEMBER", "not found", on("template", (t) => act2("lib/templates/templates.action.ts renameTemplateAction", form({ templateId: t.id, name: `renamed ${seq()}` })))],
  "lib/templates/templates.action.ts deleteTemplateAction": ["MEMBER", "not found", on("template", (t) => act2("lib/templates/templates.action.ts deleteTemplateAction", form({ templateId: t.id })))],
};

type Fn0 = () => Promise<unknown>;
type Fn1 = (input: unknown) => Promise<unknown>;
type Fn2 = (prev: unknown, input: unknown) => Promise<unknown>;
/** An action called with its input, or (useActionState's shape) with a previous state and a form. */
const act = (k: string, input: unknown) => action<Fn1>(k)(input);
const act2 = (k: string, input: FormData) => action<Fn2>(k)(undefined, input);

function csvHead() {
  const f = new FormData();
  f.append("head", new Blob(["question\nwhat is one?\n"]), "head.csv");
  return f;
}

// --------------------------------------------------------------------------------------- runner

const below: Partial<Record<Role, Role>> = { OWNER: "ADMIN", ADMIN: "MEMBER", MEMBER: "VIEWER" };

/** Every role user is back in team A with their role (a call may have removed or changed one); the newcomer is out. */
async function resetRoles() {
  await lib.prisma.membership.deleteMany({ where: { teamId: A.id, userId: users.newcomer.id } });
  for (const role of ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as Role[]) {
    await lib.prisma.membership.upsert({ where: { userId_teamId: { userId: users[role].id, teamId: A.id } }, create: { userId: users[role].id, teamId: A.id, role }, update: { role } });
  }
}

interface Round {
  who: string;
  as: string | null;
  expect: Kind;
  untouched: boolean;
  foreign?: boolean;
  origin?: string;
  sandboxKey?: string | null;
}

function roundsFor([access, foreign]: Entry, mutating: boolean): Round[] {
  const out: Round[] = [];
  const cross = (expect: Kind) => ({ who: "the owner of another team", as: users.foreign.id, expect, untouched: true, foreign: true });
  if (access === "public") return [{ who: "a signed-out visitor", as: null, expect: "ok", untouched: false }];
  if (access === "auth.js") return [{ who: "another site's page, without Auth.js's CSRF token", as: null, expect: "refused", untouched: true }];
  if (access === "api token, no such method") {
    return [
      { who: "a caller without a token", as: null, expect: "signed-out", untouched: true, sandboxKey: null },
      { who: "another team's token", as: null, expect: "not-allowed", untouched: true, sandboxKey: tokens.foreign, foreign: true },
      { who: "a read-only token of the team", as: null, expect: "forbidden", untouched: true, sandboxKey: tokens.read },
      { who: "a member's token", as: null, expect: "not-allowed", untouched: true, sandboxKey: tokens.member },
    ];
  }
  if (access === "api token" || access === "api token, member") {
    return [
      { who: "a caller without a token", as: null, expect: "signed-out", untouched: true, sandboxKey: null },
      { who: "another team's token", as: null, expect: "not-found", untouched: true, sandboxKey: tokens.foreign, foreign: true },
      ...(access === "api token, member" ? [{ who: "a read-only token of the team", as: null, expect: "forbidden" as Kind, untouched: true, sandboxKey: tokens.read }] : []),
      { who: access === "api token" ? "a read-only token of the team" : "a member's token", as: null, expect: "ok", untouched: false, sandboxKey: access === "api token" ? tokens.read : tokens.member },
    ];
  }
  if (access === "sandbox key") {
    return [
      { who: "a caller without a key", as: null, expect: "signed-out", untouched: true, sandboxKey: null },
      { who: "another team's key", as: null, expect: "not-found", untouched: true, sandboxKey: lib.sandboxKeyForTeam(B.id), foreign: true },
      { who: "the team's key", as: null, expect: "ok", untouched: false, sandboxKey: lib.sandboxKeyForTeam(A.id) },
    ];
  }
  out.push({ who: "a signed-out visitor", as: null, expect: "signed-out", untouched: true });
  if (!foreign.startsWith("n/a")) out.push(cross(foreign === "not found" ? "not-found" : "ok"));
  if (access === "signed-in") {
    out.push({ who: "a signed-in user", as: users.newcomer.id, expect: "ok", untouched: false });
    return out;
  }
  const under = below[access];
  if (under) out.push({ who: `a ${under.toLowerCase()} of the team`, as: users[under].id, expect: "forbidden", untouched: true });
  if (mutating) out.push({ who: `a ${access.toLowerCase()} posting from another site`, as: users[access].id, expect: "forbidden", untouched: true, origin: "https://evil.example" });
  out.push({ who: `a ${access.toLowerCase()} of the team`, as: users[access].id, expect: "ok", untouched: false });
  return out;
}

async function run(name: string, entry: Entry, r: Round) {
  await resetRoles();
  visit(r.as, A.id); // the team cookie names team A, for the other team's owner too
  visitor.headers.set(PEER_HEADER, CLIENT_IP);
  round.origin = r.origin ?? SELF;
  round.sandboxKey = r.sandboxKey ?? null;
  const thunk = await entry[2](make);
  const before = await teamRows();
  const since = (await lib.prisma.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? BigInt(0);
  const out = await outcomeOf(thunk, r.as !== null);
  expect(out.kind, `${name} as ${r.who}: ${out.text.slice(0, 400)}`).toBe(r.expect);
  const audited = AUDITED[name];
  if (r.expect === "ok" && !r.foreign && typeof audited === "string") {
    const written = await lib.prisma.auditEvent.findMany({ where: { id: { gt: since } } });
    const rows = written.filter((w) => w.action === audited);
    expect(rows.length, `${name} as ${r.who} wrote no "${audited}" row to the audit log (it wrote: ${written.map((w) => w.action).join(", ") || "nothing"})`).toBeGreaterThan(0);
    for (const row of rows) {
      const what = `${name} as ${r.who}: the audit row ${JSON.stringify(row, (_k, x) => (typeof x === "bigint" ? String(x) : x))}`;
      if (r.as) expect(row.actorId, what).toBe(r.as);
      expect(row.actorLabel, what).toBeTruthy();
      expect(row.ip, what).toBe(CLIENT_IP);
      if (row.targetType) expect([row.targetId, row.targetLabel].every(Boolean), what).toBe(true);
    }
  }
  if (r.untouched) expect(await teamRows(), `${name} as ${r.who} changed team A`).toEqual(before);
  if (r.foreign) {
    expect(out.text, `${name} as ${r.who} answered with team A's data`).not.toMatch(MARK);
    if (r.as) {
      const { currentTeam } = await import("@/lib/auth/context");
      expect((await currentTeam())?.team.id, `${name} put ${r.who} in team A`).not.toBe(A.id);
    }
  }
}

// ----------------------------------------------------------------------------------------- tests

beforeAll(async () => {
  const { createTestDb } = await import("@/lib/test/db");
  const { serve } = await import("@/lib/test/http");
  const { resetEnvForTests } = await import("@/lib/env");
  useTempDataDir();
  process.env.SANDBOX_MS_PER_REQUEST = "600000";
  h = await createTestDb();
  lib = {
    prisma: h.prisma,
    launchBatch: (await import("@/lib/batches/engine/launch")).launchBatch,
    launchJob: (await import("@/lib/batches/jobs")).launchJob,
    seedBatch: (await import("@/lib/results/results.fixtures")).seedBatch,
    createInvite: (await import("@/lib/teams/invites")).createInvite,
    saveTemplate: (await import("@/lib/templates/templates")).saveTemplate,
    addPrice: (await import("@/lib/pricing/prices")).addPrice,
    sandboxKeyForTeam: (await import("@/lib/providers/sandbox/keys")).sandboxKeyForTeam,
    encryptSecret: (await import("@/lib/crypto")).encryptSecret,
    handleSandboxRequest: (await import("@/lib/providers/sandbox/server")).handleSandboxRequest,
    hashPassword: (await import("@/lib/auth/password")).hashPassword,
    createToken: (await import("@/lib/api/tokens")).createToken,
  };
  sandbox = await serve(lib.handleSandboxRequest);
  process.env.INTERNAL_URL = sandbox.url;
  // The sign-up line is called as anyone: the policy that lets anyone sign up.
  process.env.SIGN_UP = "open";
  resetEnvForTests();

  const owner = await makeUser(h.prisma, "Alpha owner");
  A.id = owner.team.id;
  await h.prisma.team.update({ where: { id: A.id }, data: { name: "Alpha team", personal: false } });
  A.sandboxConnectionId = (await h.prisma.providerConnection.findFirstOrThrow({ where: { teamId: A.id, kind: "sandbox" } })).id;
  users.OWNER = owner.user;
  for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
    const u = await makeUser(h.prisma, `Alpha ${role}`);
    await addMember(h.prisma, A.id, u.user.id, role);
    // Their own personal team comes second: the cookie picks team A.
    users[role] = u.user;
  }
  const foreign = await makeUser(h.prisma, "Beta");
  users.foreign = foreign.user;
  B = { id: foreign.team.id };
  // Signed in, in a team of their own: who "signed-in" lines are called as (they may join team A).
  users.newcomer = (await makeUser(h.prisma, "Newcomer")).user;
  const tokenOf = async (userId: string, teamId: string, role: Role, scope: "role" | "read") =>
    (await lib.createToken(h.prisma, { user: { id: userId }, team: { id: teamId }, role }, { name: "authz", scope, days: 1, allowedConnectionIds: [] })).secret;
  tokens.member = await tokenOf(users.MEMBER.id, A.id, "MEMBER", "role");
  tokens.read = await tokenOf(users.OWNER.id, A.id, "OWNER", "read");
  tokens.foreign = await tokenOf(users.foreign.id, B.id, "OWNER", "role");
});

afterAll(async () => {
  await sandbox?.close();
  await h?.close();
});

describe("the authorization table", () => {
  it("lists every route handler and server action, and nothing else", () => {
    const found = [...routes, ...actions].sort();
    expect(found.length).toBeGreaterThan(40);
    const missing = found.filter((k) => !(k in table));
    const stale = Object.keys(table).filter((k) => !found.includes(k));
    expect(missing, "Add a line to lib/authz.test.ts's table for each (who may call it, what another team gets)").toEqual([]);
    expect(stale, "These lines name no route or action any more").toEqual([]);
    expect(
      found.filter((k) => !(k in AUDITED)),
      "Add a line to lib/test/audited.ts for each (the audit log's action it writes, or why none)",
    ).toEqual([]);
    expect(Object.keys(AUDITED).filter((k) => !found.includes(k))).toEqual([]);
  });

  it("finds every teamAction behind an exported action of a \"use server\" file", () => {
    const problems: string[] = [];
    for (const f of sources) {
      if (f === path.join("lib", "actions.ts")) continue;
      const text = read(f);
      const calls = [...text.matchAll(/\bteamAction\(/g)].length;
      const named = [...text.matchAll(/const (\w+) = teamAction\(/g)].map((m) => m[1]);
      if (!calls) continue;
      if (!actionFiles.includes(f)) problems.push(`${f}: teamAction outside a "use server" file`);
      if (named.length !== calls) problems.push(`${f}: a teamAction not assigned to a const`);
      for (const c of named) if ([...text.matchAll(new RegExp(`\\b${c}\\(`, "g"))].length < 1) problems.push(`${f}: teamAction ${c} is called by no exported action`);
    }
    for (const f of sources) if (!actionFiles.includes(f) && /["']use server["']/.test(read(f))) problems.push(`${f}: an inline "use server" (put server actions in a "use server" file)`);
    expect(problems).toEqual([]);
  });

  for (const [name, entry] of Object.entries(table)) {
    const mutating = MUTATING.has(name.split(" ")[0]);
    it(`${name}: ${entry[0]}; another team: ${entry[1]}`, async () => {
      for (const r of roundsFor(entry, mutating && entry[0] !== "sandbox key" && entry[0] !== "auth.js" && !entry[0].startsWith("api token"))) await run(name, entry, r);
    });
  }
});
