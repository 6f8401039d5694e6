// Batchboard's administration commands: `npm run admin -- <command> [--option value ...]`, with the
// same settings as the server (lib/env.ts: DATA_DIR or DATABASE_URL, the keys). It prints for a human
// and exits 0 when the command did its work, 1 when it could not (the reason on stderr, one line), 2
// for a command or an option it does not know. Each command is a function below and one line of
// COMMANDS (its words, what it does, its options); the logic lives in lib/admin/.
import { parseArgs } from "node:util";
import { setPrivateUmask } from "../lib/server/data-folder";

type Flags = Record<string, string | undefined>;

interface Command {
  words: string[];
  summary: string;
  /** Its options, each taking a value (--email E); "name?" is optional. */
  options?: string[];
  run(flags: Flags): Promise<string>;
}

async function keysRotate(): Promise<string> {
  const { rotateKeys } = await import("../lib/admin/keys");
  const r = await rotateKeys();
  const counts = `${r.reencrypted} stored key(s) re-encrypted, ${r.alreadyCurrent} already under it`;
  if (r.procedure === "generated") {
    return [
      r.resumed ? `Finished the rotation a crash had interrupted.` : `New key ${r.keyId} written to ${r.secretsFile} (it replaced key ${r.previousKeyId}).`,
      `${counts}. The previous key is removed from ${r.secretsFile}: start Batchboard again.`,
    ].join("\n");
  }
  return [
    `Current key ${r.keyId}${r.previousKeyId ? `, previous key ${r.previousKeyId}` : ""}: ${counts}.`,
    r.previousKeyId ? "Now remove ENCRYPTION_KEY_PREVIOUS from every instance's settings and restart them." : "",
  ]
    .filter(Boolean)
    .join("\n");
}

async function userCreate(flags: Flags): Promise<string> {
  const [{ withDatabase }, { createUser }] = await Promise.all([import("../lib/admin/db"), import("../lib/admin/users")]);
  const { user, team } = await withDatabase((prisma) => createUser(prisma, flags));
  // The id alone on the last line, for scripts: `id=$(npm run -s admin -- user create ... | tail -1)`.
  return [`Created ${user.email}, owner of "${team.name}" (with the Sandbox provider).`, user.id].join("\n");
}

async function passwordReset(flags: Flags): Promise<string> {
  const [{ withDatabase }, { resetPassword }] = await Promise.all([import("../lib/admin/db"), import("../lib/admin/users")]);
  const user = await withDatabase((prisma) => resetPassword(prisma, flags));
  return `Password of ${user.email} set; every session of theirs has ended (they sign in again with the new password).`;
}

async function instances(): Promise<string> {
  const [{ withDatabase }, { listInstances }] = await Promise.all([import("../lib/admin/db"), import("../lib/batches/engine/instances")]);
  const r = await withDatabase((prisma) => listInstances(prisma));
  const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
  const out: string[] = [];
  const running = r.instances.filter((i) => i.running);
  out.push(running.length ? `${running.length} running instance(s):` : "No running instance.");
  for (const i of r.instances) {
    out.push(`${i.running ? "" : "gone? "}${i.id}  host ${i.host}, pid ${i.pid}, started ${when(i.startedAt)}, last seen ${when(i.seenAt)}: ${i.batches.length} batch(es)`);
    for (const b of i.batches) out.push(`    ${b.id}  "${b.name}" (${b.team}), ${b.status.toLowerCase()}, lease until ${when(b.leaseUntil)}`);
  }
  if (r.launches.length) {
    out.push(`${r.launches.length} launch(es) in progress:`);
    for (const b of r.launches) out.push(`    ${b.id}  "${b.name}" (${b.team}), lease until ${when(b.leaseUntil)}`);
  }
  for (const u of r.unknownOwners) out.push(`${u.owner} (not recorded as an instance): ${u.batches} batch(es)`);
  return out.join("\n");
}

async function tokenCreate(flags: Flags): Promise<string> {
  const [{ withDatabase }, { createTokenFor }] = await Promise.all([import("../lib/admin/db"), import("../lib/admin/tokens")]);
  return (await withDatabase((prisma) => createTokenFor(prisma, flags))).join("\n");
}

const COMMANDS: Command[] = [
  {
    words: ["keys", "rotate"],
    summary:
      "Re-encrypt the stored provider keys under a new ENCRYPTION_KEY. Generated key (embedded database, server stopped): makes the new key itself. " +
      "Key in the environment (PostgreSQL): set the new ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS=<old key> on every instance first.",
    run: keysRotate,
  },
  {
    words: ["user", "create"],
    summary: "Create an account and its personal team (with the Sandbox provider), whatever SIGN_UP says. Prints the user's id on its last line.",
    options: ["email", "password", "name?"],
    run: userCreate,
  },
  {
    words: ["password", "reset"],
    summary: "Set an account's password and end every session of it.",
    options: ["email", "password"],
    run: passwordReset,
  },
  { words: ["instances"], summary: "List the running instances (their sync workers) and the batches each holds now.", run: instances },
  {
    words: ["token", "create"],
    summary: "An API token for a member (their first team unless --team), on --connection by default (else the team's Sandbox). Prints the token alone on its last line.",
    options: ["email", "name", "connection?", "team?"],
    run: tokenCreate,
  },
];

function usage() {
  const line = (c: Command) => `  ${[...c.words, ...(c.options ?? []).map((o) => (o.endsWith("?") ? `[--${o.slice(0, -1)} ${o.slice(0, -1).toUpperCase()}]` : `--${o} ${o.toUpperCase()}`))].join(" ")}\n      ${c.summary}`;
  return ["usage: npm run admin -- <command>", "", ...COMMANDS.map(line)].join("\n");
}

const args = process.argv.slice(2);
const command = COMMANDS.find((c) => c.words.every((w, i) => w === args[i]) && (args.length === c.words.length || args[c.words.length]?.startsWith("--")));
if (!command) {
  const asked = args.join(" ");
  process.stderr.write(`${asked && asked !== "help" && asked !== "--help" ? `Unknown command: ${asked}\n\n` : ""}${usage()}\n`);
  process.exit(asked === "help" || asked === "--help" ? 0 : 2);
}
let flags: Flags;
try {
  const options = Object.fromEntries((command.options ?? []).map((o) => [o.replace("?", ""), { type: "string" as const }]));
  flags = parseArgs({ args: args.slice(command.words.length), options, strict: true, allowPositionals: false }).values as Flags;
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${usage()}\n`);
  process.exit(2);
}
// Whatever the command writes in the data folder (PGlite's files, secrets.json) is the user's alone.
setPrivateUmask();
try {
  process.stdout.write(`${await command.run(flags)}\n`);
  process.exit(0);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
