// Where the team's shared folder (OpenAI's spec, the bench peers) is: beside the checkout as ../shared,
// or where SHARED_DIR says.
import fs from "node:fs";
import path from "node:path";
import { settings } from "../env";

export function sharedPath(...parts: string[]): string {
  const candidates = [settings().SHARED_DIR, path.resolve(process.cwd(), "../shared"), "/work/shared"].filter(Boolean) as string[];
  const dir = candidates.find((d) => fs.existsSync(d)) ?? candidates[0];
  return path.join(dir, ...parts);
}
