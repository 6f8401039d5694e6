// The aligned rows: custom_id and prompt, then A's and B's answers side by side with their word
// diff, each under its status and token counts. Rendered on the server: the diff of a page of
// answers is computed once there, and the browser gets marked-up text.
import type { CompareRow, CompareSideResult } from "@/lib/compare/types";
import { ClampText } from "@/components/batches/clamp-text";
import { cn } from "@/components/ui/cn";
import { ClampBox } from "./clamp-box";
import { wordDiff, type DiffPart } from "./word-diff";

const LONG_CHARS = 400;
const LONG_LINES = 6;
const n = (v: number | null) => (v === null ? "—" : v.toLocaleString("en-US"));

export function CompareTable({ rows, aName, bName }: { rows: CompareRow[]; aName: string; bName: string }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full table-fixed text-sm">
        <caption className="sr-only">
          Answers of {aName} (A) and {bName} (B) side by side, by custom_id. In A&apos;s column, struck-through words are not in B&apos;s answer; in
          B&apos;s column, underlined words are not in A&apos;s.
        </caption>
        <colgroup>
          <col className="w-[22%]" />
          <col className="w-[39%]" />
          <col className="w-[39%]" />
        </colgroup>
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2.5">
              custom_id · prompt
            </th>
            <th scope="col" className="px-4 py-2.5">
              <span className="mr-1.5 rounded bg-slate-800 px-1.5 py-0.5 text-[10px] text-white">A</span>
              <span className="normal-case tracking-normal">{aName}</span>
            </th>
            <th scope="col" className="px-4 py-2.5">
              <span className="mr-1.5 rounded bg-brand-600 px-1.5 py-0.5 text-[10px] text-white">B</span>
              <span className="normal-case tracking-normal">{bName}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <Row key={r.customId} r={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ r }: { r: CompareRow }) {
  const bothText = r.a?.succeeded && r.b?.succeeded && r.a.content !== null && r.b.content !== null;
  const d = bothText ? wordDiff(r.a!.content!, r.b!.content!) : null;
  return (
    <tr className="align-top" data-custom-id={r.customId}>
      <td className="px-4 py-3">
        <div className="flex flex-wrap items-center gap-1.5">
          <code className="break-all text-xs font-medium text-slate-900">{r.customId}</code>
          <RowBadge r={r} />
        </div>
        {r.line !== null && (
          <p className="mt-0.5 text-xs text-slate-400">
            line {n(r.line)}
            {!r.a && " of B's file"}
          </p>
        )}
        {r.prompt !== null && <ClampText text={r.prompt} className="mt-1.5 text-xs text-slate-600" />}
        {r.promptB !== null && (
          <div className="mt-2 rounded bg-amber-50 px-2 py-1.5 ring-1 ring-amber-200">
            <p className="text-[11px] font-medium text-amber-900">B&apos;s prompt differs:</p>
            <ClampText text={r.promptB} className="text-xs text-amber-950" />
          </div>
        )}
      </td>
      <td className="px-4 py-3">
        <Side s={r.a} side="A" parts={d?.a} />
      </td>
      <td className="px-4 py-3">
        <Side s={r.b} side="B" parts={d?.b} />
        {d && !d.diffed && <p className="mt-1 text-xs text-slate-400">Too long or too different to mark word by word.</p>}
      </td>
    </tr>
  );
}

function RowBadge({ r }: { r: CompareRow }) {
  const [label, tone] =
    r.changed === true
      ? ["changed", "bg-amber-100 text-amber-900"]
      : r.changed === false
        ? ["same", "bg-slate-100 text-slate-600"]
        : !r.a
          ? ["only in B", "bg-slate-100 text-slate-700"]
          : !r.b
            ? ["only in A", "bg-slate-100 text-slate-700"]
            : !r.a.succeeded && !r.b.succeeded
              ? ["both failed", "bg-red-100 text-red-800"]
              : [`failed in ${r.a.succeeded ? "B" : "A"}`, "bg-red-50 text-red-700"];
  return <span className={cn("rounded-full px-1.5 py-0.5 text-[11px] font-medium", tone)}>{label}</span>;
}

function Side({ s, side, parts }: { s: CompareSideResult | null; side: "A" | "B"; parts?: DiffPart[] }) {
  if (!s) return <p className="text-xs italic text-slate-400">Not in batch {side}.</p>;
  return (
    <div>
      <div className="mb-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        {s.succeeded ? (
          <span className="font-medium text-emerald-700">✓ Answered{s.statusCode && s.statusCode !== 200 ? ` (${s.statusCode})` : ""}</span>
        ) : (
          <span className="font-medium text-red-700">✗ Failed{s.errorCode ? `: ${s.errorCode}` : s.statusCode ? ` (${s.statusCode})` : ""}</span>
        )}
        {s.model && <span className="text-slate-500">{s.model}</span>}
        <Tokens s={s} />
      </div>
      {s.succeeded ? <Answer text={s.content} parts={parts} kind={side === "A" ? "removed" : "added"} /> : <p className="break-words text-xs text-red-700">{s.errorMessage ?? "No message."}</p>}
    </div>
  );
}

function Tokens({ s }: { s: CompareSideResult }) {
  if (s.promptTokens === null && s.completionTokens === null) return null;
  return (
    <span className="tabular-nums text-slate-500" title="Tokens: prompt → completion (of which reasoning)">
      {n(s.promptTokens)} → {n(s.completionTokens)}
      {s.reasoningTokens ? ` (${n(s.reasoningTokens)} reasoning)` : ""} tokens
    </span>
  );
}

/** Words only this side has: struck through on A's side, underlined on B's, colour on top. */
function Answer({ text, parts, kind }: { text: string | null; parts?: DiffPart[]; kind: "removed" | "added" }) {
  if (text === null) return <p className="text-xs italic text-slate-400">No text (not a chat answer).</p>;
  const long = text.length > LONG_CHARS || text.split("\n", LONG_LINES + 1).length > LONG_LINES;
  const marked = parts ?? [{ text, changed: false }];
  return (
    <ClampBox long={long} chars={text.length} className="text-slate-800">
      {marked.map((p, i) =>
        !p.changed ? (
          <span key={i}>{p.text}</span>
        ) : kind === "removed" ? (
          <del key={i} className="rounded-sm bg-red-100 text-red-900 decoration-red-700 decoration-2" title="Not in B">
            {p.text}
          </del>
        ) : (
          <ins key={i} className="rounded-sm bg-emerald-100 text-emerald-950 underline decoration-emerald-700 decoration-2 underline-offset-2" title="Not in A">
            {p.text}
          </ins>
        ),
      )}
    </ClampBox>
  );
}
