// The built-in Sandbox provider's HTTP surface (lib/providers/sandbox/server.ts does the work), at
// /api/sandbox/v1 (OpenAI's behaviour) and /api/sandbox/<mode>/v1 (one provider's quirks, its
// imitation.ts in lib/providers/<kind>/: doubleword, together, bailian, moonshot, groq; anthropic
// answers Anthropic's Message Batches), optionally with a fault segment before /v1 (sandbox/faults.ts).
// Uploads stream through here: keep this path out of proxy.ts's matcher, which would cut bodies at 10 MB.
import { handleSandboxRequest } from "@/lib/providers/sandbox/server";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = (req: Request) => handleSandboxRequest(req);
export { handle as GET, handle as POST, handle as DELETE };
