// Runs in the browser before the app: zod's one use of eval (it probes `new Function` to compile
// object parsers) would be refused by the pages' Content-Security-Policy and reported as a
// violation; the parsers work the same without it (lib/http/security-headers.ts has the policy).
import { z } from "zod";

z.config({ jitless: true });
