// Batchboard's administration commands: `npm run admin -- <command>`, with the same settings as the
// server (lib/env.ts: DATA_DIR or DATABASE_URL, the keys). It prints for a human and exits 0 when the
// command did its work, 1 when it could not (the reason on stderr), 2 for a command it does not know.
// A command is a line of COMMANDS: its words, what it does, and its run (logic lives in lib/admin/).
import { setPrivateUmask } from "../lib/server/data-folder";

interface Command {
  words: string[];
  summary: string;
  /** Options after the words (--name value ...), given to run; a command without takes none. */
  options?: boolean;
  run(rest: string[]): Promise<string>;
}

const COMMANDS: Command[] = [
  {
    words: ["keys", "rotate"],
    summary:
      "Re-encrypt the stored provider keys under a new ENCRYPTION_KEY. Generated key (embedded database, server stopped): makes the new key itself. " +
      "Key in the environment (PostgreSQL): set the new ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS=<old key> on every instance first.",
    async run() {
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
    },
  },
  {
    words: ["token", "create"],
    options: true,
    summary: "--email E --name N [--connection NAME] [--team NAME]: an API token for a member (their first team unless --team), printed alone on the last line.",
    run: async (rest) => (await import("../lib/admin/tokens")).tokenCreateCommand(rest),
  },
];

function usage() {
  return ["usage: npm run admin -- <command>", "", ...COMMANDS.map((c) => `  ${c.words.join(" ")}\n      ${c.summary}`)].join("\n");
}

const args = process.argv.slice(2);
const command = COMMANDS.find((c) => (c.options ? args.length >= c.words.length : c.words.length === args.length) && c.words.every((w, i) => w === args[i]));
if (!command) {
  const asked = args.join(" ");
  process.stderr.write(`${asked && asked !== "help" && asked !== "--help" ? `Unknown command: ${asked}\n\n` : ""}${usage()}\n`);
  process.exit(asked === "help" || asked === "--help" ? 0 : 2);
}
// Whatever the command writes in the data folder (PGlite's files, secrets.json) is the user's alone.
setPrivateUmask();
try {
  process.stdout.write(`${await command.run(args.slice(command.words.length))}\n`);
  process.exit(0);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
