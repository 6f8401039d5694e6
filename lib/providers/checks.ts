// Checks of a file, a window, metadata and each line against a profile, shared by launch (server)
// and the launch form (browser). No server-only code. Each problem carries its English message (what
// launch refuses with; the server's catalogue words it for a Chinese reader) and a code with its
// parameters, which the launch form words in the reader's language (messages: launch.checks.<code>).
import { MB, type ProviderProfile } from "./profile";
import { acceptsWindow, describeWindows, windowParams } from "./windows";

export interface ProfileProblem {
  /** The form field at fault, when one is. */
  field?: "endpoint" | "completionWindow" | "name" | "description" | "metadata" | "inputFileId";
  /** Line of the file, when one line is at fault. */
  line?: number;
  /** What is wrong, for a page to word (launch.checks.<code>); absent on problems made elsewhere. */
  code?: ProfileProblemCode;
  /** The code's values: names as they are, counts as numbers, sizes already as "1.5 MB". */
  params?: Record<string, string | number>;
  message: string;
}

export const PROFILE_PROBLEM_CODES = [
  "endpointNotOffered",
  "tooManyRequests",
  "fileTooBig",
  "oneModel",
  "endpointModels",
  "endpointRequests",
  "endpointFileSize",
  "window",
  "nameTooLong",
  "descriptionTooLong",
  "metadataPairs",
  "metadataKey",
  "metadataValue",
  "lineTooBig",
  "customIdTooLong",
  "customIdAscii",
  "thinkingMode",
] as const;
export type ProfileProblemCode = (typeof PROFILE_PROBLEM_CODES)[number];

const fmt = (n: number | bigint) => Number(n).toLocaleString("en-US");
export const mb = (n: number | bigint) => `${(Number(n) / MB).toFixed(1)} MB`;

export interface FileFacts {
  endpoint: string;
  requestCount: number;
  /** Unknown in the browser when the launch options do not carry it. */
  bytes?: number | bigint;
  models: string[];
}

/** What stops a file from launching on a profile, before any line is read. */
export function checkFileForProfile(p: ProviderProfile, file: FileFacts): ProfileProblem[] {
  const out: ProfileProblem[] = [];
  const l = p.limits;
  if (!p.endpoints.includes(file.endpoint)) {
    out.push({ field: "endpoint", code: "endpointNotOffered", params: { provider: p.label, endpoint: file.endpoint, offered: p.endpoints.join(", ") }, message: `${p.label} does not offer ${file.endpoint}; it offers ${p.endpoints.join(", ")}.` });
  }
  if (file.requestCount > l.maxRequests) {
    out.push({ code: "tooManyRequests", params: { provider: p.label, count: file.requestCount, limit: l.maxRequests }, message: `The file has ${fmt(file.requestCount)} requests, over ${p.label}'s limit of ${fmt(l.maxRequests)} per batch.` });
  }
  if (file.bytes !== undefined && BigInt(file.bytes) > BigInt(l.maxFileBytes)) {
    out.push({ code: "fileTooBig", params: { provider: p.label, size: mb(file.bytes), limit: mb(l.maxFileBytes) }, message: `The file is ${mb(file.bytes)}, over ${p.label}'s limit of ${mb(l.maxFileBytes)} per file.` });
  }
  if (l.oneModelPerBatch && file.models.length > 1) {
    out.push({ code: "oneModel", params: { provider: p.label, count: file.models.length, models: file.models.join(", ") }, message: `${p.label} takes one model per batch; this file uses ${file.models.length} (${file.models.join(", ")}).` });
  }
  const rule = p.endpointRules?.[file.endpoint];
  if (rule) {
    const others = rule.models ? file.models.filter((m) => !rule.models!.includes(m)) : [];
    if (others.length) {
      out.push({ field: "endpoint", code: "endpointModels", params: { provider: p.label, endpoint: file.endpoint, models: rule.models!.join(", "), others: others.join(", ") }, message: `${p.label}'s ${file.endpoint} takes only ${rule.models!.join(", ")}; this file uses ${others.join(", ")}.` });
    }
    if (rule.maxRequests !== undefined && file.requestCount > rule.maxRequests) {
      out.push({ code: "endpointRequests", params: { provider: p.label, endpoint: file.endpoint, limit: rule.maxRequests, count: file.requestCount }, message: `${p.label}'s ${file.endpoint} takes at most ${fmt(rule.maxRequests)} requests; this file has ${fmt(file.requestCount)}.` });
    }
    if (rule.maxFileBytes !== undefined && file.bytes !== undefined && BigInt(file.bytes) > BigInt(rule.maxFileBytes)) {
      out.push({ code: "endpointFileSize", params: { provider: p.label, endpoint: file.endpoint, limit: mb(rule.maxFileBytes), size: mb(file.bytes) }, message: `${p.label}'s ${file.endpoint} takes files of at most ${mb(rule.maxFileBytes)}; this one is ${mb(file.bytes)}.` });
    }
  }
  return out;
}

export function checkWindow(p: ProviderProfile, w: string): ProfileProblem[] {
  if (acceptsWindow(p, w)) return [];
  return [{ field: "completionWindow", code: "window", params: { provider: p.label, window: w, ...windowParams(p) }, message: `${p.label} does not accept the completion window ${w}; it accepts ${describeWindows(p)}.` }];
}

/** The metadata a batch is created with: the user's pairs, its name and description under the profile's keys, our id. */
export function batchMetadataFor(
  p: ProviderProfile,
  input: { name: string; description?: string; metadata?: Record<string, string> },
  ownKeys: Record<string, string>,
): { metadata: Record<string, string>; problems: ProfileProblem[] } {
  const m = p.metadata;
  const problems: ProfileProblem[] = [];
  if (input.name.length > m.nameMax) {
    problems.push({ field: "name", code: "nameTooLong", params: { provider: p.label, key: m.nameKey, limit: m.nameMax, count: input.name.length }, message: `${p.label} keeps a batch name (metadata ${m.nameKey}) to ${fmt(m.nameMax)} characters; this one has ${fmt(input.name.length)}.` });
  }
  if (input.description && input.description.length > m.descriptionMax) {
    problems.push({
      field: "description",
      code: "descriptionTooLong",
      params: { provider: p.label, key: m.descriptionKey, limit: m.descriptionMax, count: input.description.length },
      message: `${p.label} keeps a description (metadata ${m.descriptionKey}) to ${fmt(m.descriptionMax)} characters; this one has ${fmt(input.description.length)}.`,
    });
  }
  const metadata: Record<string, string> = {
    ...input.metadata,
    [m.nameKey]: input.name,
    ...(input.description ? { [m.descriptionKey]: input.description } : {}),
    ...ownKeys,
  };
  const pairs = Object.keys(metadata).length;
  if (pairs > m.maxPairs) {
    problems.push({ field: "metadata", code: "metadataPairs", params: { provider: p.label, limit: m.maxPairs, count: pairs }, message: `${p.label} takes at most ${m.maxPairs} metadata pairs; this batch would send ${pairs}.` });
  }
  for (const [k, v] of Object.entries(input.metadata ?? {})) {
    if (k.length > m.maxKeyLength) problems.push({ field: "metadata", code: "metadataKey", params: { provider: p.label, key: k.slice(0, 40), count: k.length, limit: m.maxKeyLength }, message: `Metadata key "${k.slice(0, 40)}…" is ${k.length} characters, over ${p.label}'s limit of ${m.maxKeyLength}.` });
    if (v.length > m.maxValueLength) problems.push({ field: "metadata", code: "metadataValue", params: { provider: p.label, key: k, count: v.length, limit: m.maxValueLength }, message: `Metadata value of "${k}" is ${fmt(v.length)} characters, over ${p.label}'s limit of ${fmt(m.maxValueLength)}.` });
  }
  return { metadata, problems };
}

/** One request line as the provider will receive it. */
export interface LineFacts {
  line: number;
  customId: string;
  bytes: number;
}

/** A line's own problems for a profile (size, custom_id length and characters). */
export function checkLineForProfile(p: ProviderProfile, r: LineFacts): ProfileProblem[] {
  const l = p.limits;
  const out: ProfileProblem[] = [];
  if (r.bytes > l.maxLineBytes) {
    out.push({ line: r.line, code: "lineTooBig", params: { provider: p.label, line: r.line, size: mb(r.bytes), limit: mb(l.maxLineBytes) }, message: `Line ${r.line} is ${mb(r.bytes)}, over ${p.label}'s limit of ${mb(l.maxLineBytes)} per line.` });
  }
  if (l.maxCustomIdLength !== undefined && r.customId.length > l.maxCustomIdLength) {
    out.push({
      line: r.line,
      code: "customIdTooLong",
      params: { provider: p.label, line: r.line, count: r.customId.length, limit: l.maxCustomIdLength },
      message: `Line ${r.line}: custom_id is ${fmt(r.customId.length)} characters, over ${p.label}'s limit of ${fmt(l.maxCustomIdLength)}.`,
    });
  }
  if (l.asciiCustomId && !/^[\x20-\x7e]*$/.test(r.customId)) {
    out.push({ line: r.line, code: "customIdAscii", params: { provider: p.label, line: r.line }, message: `Line ${r.line}: custom_id must be plain ASCII for ${p.label}.` });
  }
  return out;
}

/**
 * The line checks of one batch, fed its lines in order: each line's own limits (checkLineForProfile)
 * and, where the provider takes one model per batch, one thinking mode too (Bailian: the bodies'
 * enable_thinking), which the first line sets.
 */
export function lineChecker(p: ProviderProfile): (r: LineFacts & { body: unknown }) => ProfileProblem[] {
  let first: { line: number; thinking: string } | null = null;
  return (r) => {
    const found = checkLineForProfile(p, r);
    if (p.limits.oneModelPerBatch) {
      const thinking = JSON.stringify((r.body as Record<string, unknown> | null)?.enable_thinking ?? null);
      if (!first) first = { line: r.line, thinking };
      else if (thinking !== first.thinking) {
        found.push({ line: r.line, code: "thinkingMode", params: { provider: p.label, line: r.line, first: first.line }, message: `Line ${r.line}: ${p.label} wants one thinking mode per batch; enable_thinking here differs from line ${first.line}.` });
      }
    }
    return found;
  };
}

