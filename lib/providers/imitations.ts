// The registry of the sandbox's imitations, server-only: each provider's imitation (its folder's
// imitation.ts, beside its profile) by the mode it is served as, /api/sandbox/<mode>/v1
// (/api/sandbox/v1 is "openai"), so every provider can run end to end over HTTP with no key. An
// OpenAI-shaped imitation is data (a SandboxMode) for the sandbox's one server; an API of another
// shape is served whole by its own handler (Anthropic's Message Batches). Independent of the
// profiles on purpose: nothing here, or in an imitation, reads a profile or an adapter (an ESLint
// wall), so a test where the client meets the imitation proves something.
import "server-only";
import { handleAnthropicRequest } from "./anthropic/imitation";
import { bailianImitation } from "./bailian/imitation";
import { doublewordImitation } from "./doubleword/imitation";
import { groqImitation } from "./groq/imitation";
import { moonshotImitation } from "./moonshot/imitation";
import { openaiImitation, sandboxImitation } from "./openai/imitation";
import type { SandboxMode } from "./sandbox/mode";
import { togetherImitation } from "./together/imitation";

export const modes: Record<string, SandboxMode> = {
  openai: openaiImitation,
  doubleword: doublewordImitation,
  together: togetherImitation,
  bailian: bailianImitation,
  moonshot: moonshotImitation,
  groq: groqImitation,
  // A custom OpenAI-compatible server: the built-in Sandbox's leniency (its batches kept as "openai").
  custom: sandboxImitation,
};

/** Imitations of an API of another shape, each answering every request under its mode itself. */
export const ownServers: Record<string, (req: Request) => Promise<Response>> = {
  anthropic: handleAnthropicRequest,
};

/** The mode a path names; none (or an unknown one): the built-in Sandbox, lenient. */
export function modeOf(name: string | undefined | null): SandboxMode {
  return (name && name !== "openai" ? modes[name] : undefined) ?? sandboxImitation;
}

/** The mode a path names, "openai" included (the strict OpenAI imitation). */
export function namedMode(name: string | undefined | null): SandboxMode {
  return (name ? modes[name] : undefined) ?? sandboxImitation;
}
