// The shapes of a comparison of two batches: each batch as compared, the summary (what changed,
// what only one side has, tokens and cost on each side), a page of aligned rows, and the filters a
// page can show. Types and the filter list only: the browser imports them too.
import type { BatchStatus } from "@/lib/generated/prisma/enums";

export const COMPARE_FILTERS = ["all", "changed", "same", "one_failed", "both_failed", "only_a", "only_b"] as const;
export type CompareFilter = (typeof COMPARE_FILTERS)[number];

export interface TokenTotals {
  prompt: number;
  completion: number;
  reasoning: number;
  total: number;
}

/** One batch as the comparison shows it. */
export interface ComparedBatch {
  id: string;
  name: string;
  status: BatchStatus;
  terminal: boolean;
  endpoint: string;
  completionWindow: string;
  createdAt: string;
  resultCount: number;
  /** When its results were all stored (null while they may still change). */
  resultsIngestedAt: string | null;
  updatedAt: string;
  connection: { name: string; kind: string; providerLabel: string };
  inputFile: { id: string; name: string; models: string[] };
}

/** What a cost plugs in as (see compareCost): each side's cost and B minus A. */
export interface CostComparison {
  currency: string;
  a: number;
  b: number;
  diff: number;
}

export interface CompareSummary {
  /** custom_ids with a result in both batches. */
  shared: number;
  /** Rows both batches answered (succeeded on both sides): what "changed" is counted among. */
  bothAnswered: number;
  changed: number;
  same: number;
  /** changed / bothAnswered, or null when no row was answered by both. */
  changedShare: number | null;
  onlyA: number;
  onlyB: number;
  bothFailed: number;
  /** Failed in A only (B answered), and failed in B only (A answered). */
  failedInA: number;
  failedInB: number;
  oneFailed: number;
  /** Rows each filter shows (without a search). */
  counts: Record<CompareFilter, number>;
  /** Every result of each side; diff is B minus A. */
  tokens: { a: TokenTotals; b: TokenTotals; diff: TokenTotals };
  /** Only the rows both answered: like for like when one side has rows the other lacks. */
  sharedTokens: { a: TokenTotals; b: TokenTotals; diff: TokenTotals };
  /** null until a price is known for both sides (compareCost). */
  cost: CostComparison | null;
}

export interface CompareSideResult {
  succeeded: boolean;
  statusCode: number | null;
  model: string | null;
  content: string | null;
  finishReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
}

export interface CompareRow {
  customId: string;
  /** The line of the request in its batch's input file (A's, or B's for a row only B has). */
  line: number | null;
  /** The prompt of A's input file (B's for a row only B has). */
  prompt: string | null;
  /** B's prompt, only when the two input files differ and so does the prompt. */
  promptB: string | null;
  a: CompareSideResult | null;
  b: CompareSideResult | null;
  /** Both answered and the answers differ once surrounding whitespace is trimmed; null unless both answered. */
  changed: boolean | null;
}

export interface CompareQuery {
  filter?: CompareFilter;
  /** Case-insensitive text in custom_id, prompt or either answer. */
  q?: string;
  /** A cursor from a previous page's `next`. */
  after?: string | null;
  pageSize?: number;
}

export interface ComparePage {
  rows: CompareRow[];
  /** The cursor of the next page, or null on the last one. */
  next: string | null;
}

/** What reading rows needs; the summary, when given, lets a page skip a section it knows is empty. */
export type CompareInput = Pick<Comparison, "a" | "b" | "sameInput"> & { summary?: Pick<CompareSummary, "onlyB"> };

export interface Comparison {
  a: ComparedBatch;
  b: ComparedBatch;
  sameInput: boolean;
  summary: CompareSummary;
}
