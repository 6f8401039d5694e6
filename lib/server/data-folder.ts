// The data folder is private to the user that runs Batchboard: it holds the database, the generated
// secrets, uploads in progress and provider files being built. Every start sets the process's umask
// to 0o077, so whatever is made from then on (by us, by PGlite) is 0700 for folders and 0600 for
// files, and fixes the modes of a folder made by an older version or opened up by hand. Symbolic
// links are not followed: what they point to is not ours to change.
import fs from "node:fs";
import path from "node:path";

export const PRIVATE_UMASK = 0o077;
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/** Sets the umask (where the process may: not in a worker thread). */
export function setPrivateUmask() {
  try {
    process.umask(PRIVATE_UMASK);
  } catch {
    // a worker thread cannot set it; the main thread has
  }
}

/**
 * Makes `dir` (created if missing) and everything in it private. Returns how many modes it changed
 * and the paths it could not change (another user's files, say), which the caller logs.
 */
export async function makeDataFolderPrivate(dir: string): Promise<{ changed: number; failed: string[] }> {
  await fs.promises.mkdir(dir, { recursive: true, mode: FOLDER_MODE });
  const out = { changed: 0, failed: [] as string[] };
  await fix(path.resolve(dir), out);
  return out;
}

async function fix(p: string, out: { changed: number; failed: string[] }) {
  let st: fs.Stats;
  try {
    st = await fs.promises.lstat(p);
  } catch {
    return; // gone meanwhile
  }
  if (st.isSymbolicLink()) return;
  const want = st.isDirectory() ? FOLDER_MODE : FILE_MODE;
  if ((st.mode & 0o777) !== want) {
    try {
      await fs.promises.chmod(p, want);
      out.changed++;
    } catch {
      out.failed.push(p);
    }
  }
  if (!st.isDirectory()) return;
  let names: string[];
  try {
    names = await fs.promises.readdir(p);
  } catch {
    out.failed.push(p);
    return;
  }
  for (const name of names) await fix(path.join(p, name), out);
}
