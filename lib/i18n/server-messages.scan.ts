// The messages lib/ and app/ build for a person, read from the source (for server-messages.test.ts):
// the message argument of `new UserError(…)` and its kin, of `super(…)` in their subclasses, the
// field errors beside it, and zod's messages (`.min(1, "…")`, `{ message: "…" }`, `{ error: "…" }`).
// A literal is a message; a template literal is a message with a placeholder per `${…}`; a
// conditional or `+` of literals is each of its messages; a const of the same file (or an exported
// const of another) is what it holds. Anything else (a parameter, a function's answer) is dynamic:
// counted, not checked.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface FoundMessage {
  /** The message with `{}` where a template literal puts in a value. */
  text: string;
  file: string;
  line: number;
}

/** Error classes whose message a person reads, and the index of the message argument. */
const ERRORS: Record<string, number> = {
  UserError: 0,
  RetryLaterError: 0,
  NotFoundError: 0,
  ParamError: 1,
  UploadLimitError: 1,
  UploadRejected: 1,
  /** Its reason, put into "Batchboard is holding back calls to … : {reason}." */
  ConnectionThrottled: 2,
};
/** zod checks whose last string (or { message } / { error }) argument is a field error. */
const ZOD_CHECKS = new Set(["min", "max", "length", "regex", "email", "url", "int", "positive", "nonnegative", "negative", "nonempty", "startsWith", "endsWith", "includes", "gte", "lte", "gt", "lt", "multipleOf", "refine", "superRefine", "uuid", "datetime", "finite", "safe", "trim", "string", "number", "enum", "literal", "array", "object", "boolean", "coerce", "check", "lowercase", "uppercase", "http", "httpUrl"]);

const VALUE_FIRST = new Set(["regex", "startsWith", "endsWith", "includes", "literal", "enum", "length", "min", "max", "gte", "lte", "gt", "lt", "multipleOf"]);

/** Public API code answers SDKs in English: not the browser's. */
const SKIP = [/\.test\.tsx?$/, /\.fixtures\.ts$/, /^lib\/generated\//, /^lib\/api\/(openai|anthropic|guard)\.ts$/, /^app\/api\/(v1|anthropic)\//, /^lib\/i18n\/server-messages/, /^lib\/test\//, /^lib\/env\.ts$/, /^lib\/admin\//, /^lib\/providers\/sandbox\//];

/**
 * Files whose `{ message: … }` objects are problems a launch, a form or a file's page shows
 * (ProfileProblem, a file's problems and warnings), as are the last argument of their
 * `add(field, "…")` / `report(line, field, "…")` helpers.
 */
const PROBLEM_FILES = [/^lib\/providers\/checks\.ts$/, /^lib\/files\/validate-jsonl\.ts$/, /^lib\/files\/warnings\.ts$/, /^lib\/csv\/convert\.ts$/];
const PROBLEM_HELPERS = new Set(["add", "report", "warn"]);
const ROUTE_ERRORS = new Set(["error", "uploadError", "refuse"]);
/** Server actions: their `{ ok: false, message }` goes to the browser as it is. */
const ACTION_FILE = /\.action\.ts$|^lib\/actions\.ts$/;
/** Functions that make a message for the above (passwordProblem, quotaMessage, tryAgainIn): what they return. */
const MESSAGE_FUNCTION = /(Problem|Message|Blocker)$|^(tryAgainIn|neverFits)$|^(statusCheck|isoCheck|compactDateCheck)$/;

export const PLACEHOLDER_TOKEN = "{}";

function walk(dir: string, out: string[]) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
}

type Shapes = string[] | null;

export function scanMessages(root: string, dirs = ["lib", "app"]): { messages: FoundMessage[]; dynamic: FoundMessage[] } {
  const files: string[] = [];
  for (const d of dirs) walk(path.join(root, d), files);
  const sources = files
    .map((f) => ({ rel: path.relative(root, f).split(path.sep).join("/"), abs: f }))
    .filter((f) => !SKIP.some((re) => re.test(f.rel)))
    .map((f) => ({ rel: f.rel, sf: ts.createSourceFile(f.abs, fs.readFileSync(f.abs, "utf8"), ts.ScriptTarget.Latest, true, f.rel.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS) }));

  // Top-level consts of every file, for messages kept in a named constant (TAKEN_EMAIL).
  const exported = new Map<string, ts.Expression[]>();
  const localConsts = new Map<ts.SourceFile, Map<string, ts.Expression[]>>();
  for (const { sf } of sources) {
    const local = new Map<string, ts.Expression[]>();
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const) {
        const list = local.get(n.name.text) ?? [];
        list.push(n.initializer);
        local.set(n.name.text, list);
        if (ts.isSourceFile(n.parent.parent.parent)) exported.set(n.name.text, [...(exported.get(n.name.text) ?? []), n.initializer]);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    localConsts.set(sf, local);
  }

  const messages: FoundMessage[] = [];
  const dynamic: FoundMessage[] = [];

  for (const { rel, sf } of sources) {
    const where = (n: ts.Node) => ({ file: rel, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1 });

    /** The messages an expression may be, or null when it is not made of literals. */
    const shapes = (e: ts.Expression, depth = 0): Shapes => {
      if (depth > 4) return null;
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return shapes(e.expression, depth);
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
      if (ts.isTemplateExpression(e)) {
        let out = [e.head.text];
        for (const span of e.templateSpans) out = out.map((s) => s + PLACEHOLDER_TOKEN + span.literal.text);
        return out;
      }
      if (ts.isConditionalExpression(e)) {
        const a = shapes(e.whenTrue, depth + 1);
        const b = shapes(e.whenFalse, depth + 1);
        // `n === 1 ? fields[0] : \`${n} limits need fixing: …\``: the literal side is checked here.
        return a || b ? [...(a ?? []), ...(b ?? [])] : null;
      }
      if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "trim") return shapes(e.expression.expression, depth + 1);
      if (ts.isElementAccessExpression(e) && ts.isIdentifier(e.expression)) {
        // inviteProblem[state]: every message of a const table.
        const init = (localConsts.get(sf)?.get(e.expression.text) ?? [])[0];
        const table = init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) ? init.expression : init;
        if (table && ts.isObjectLiteralExpression(table)) {
          const all = table.properties.map((p) => (ts.isPropertyAssignment(p) ? shapes(p.initializer, depth + 1) : null));
          return all.every((a) => a) ? all.flatMap((a) => a!) : null;
        }
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const a = shapes(e.left, depth + 1);
        const b = shapes(e.right, depth + 1);
        return a && b ? a.flatMap((x) => b.map((y) => x + y)) : null;
      }
      if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
        // `x ?? "fallback"`: the fallback is a message; x is checked where it is made.
        return shapes(e.right, depth + 1);
      }
      if (ts.isIdentifier(e)) {
        const inits = localConsts.get(sf)?.get(e.text) ?? exported.get(e.text);
        if (!inits) return null;
        const all = inits.map((i) => shapes(i, depth + 1));
        return all.every((a) => a) ? all.flatMap((a) => a!) : null;
      }
      return null;
    };

    /** Literals inside a `${…}` of a message (" …and {} more.") are messages of their own. */
    const nested = (e: ts.Expression) => {
      const visit = (n: ts.Node, inSpan: boolean) => {
        if (inSpan && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n))) {
          for (const t of shapes(n as ts.Expression) ?? []) if (/[A-Za-z]{2,}.*\s.*[A-Za-z]{2,}/.test(t)) messages.push({ text: t.trim(), ...where(n) });
        }
        if (inSpan && ts.isIdentifier(n) && localConsts.get(sf)?.has(n.text)) {
          // `${head} ${listed}`: the head, a const of this function, is a message of its own.
          for (const init of localConsts.get(sf)!.get(n.text)!) for (const t of shapes(init) ?? []) if (/[A-Za-z]{2,}.*\s.*[A-Za-z]{2,}/.test(t)) messages.push({ text: t.trim(), ...where(n) });
        }
        if (ts.isTemplateSpan(n)) return visit(n.expression, true);
        if (ts.isCallExpression(n)) return; // an argument of a call is not the message (join(", "))
        ts.forEachChild(n, (c) => visit(c, inSpan));
      };
      visit(e, false);
    };

    const add = (e: ts.Expression | undefined, wrap = (s: string) => s) => {
      if (!e) return;
      const s = shapes(e);
      if (s) {
        for (const t of s) messages.push({ text: wrap(t), ...where(e) });
        nested(e);
      } else dynamic.push({ text: e.getText(sf).slice(0, 120), ...where(e) });
    };

    const addFields = (e: ts.Expression | undefined) => {
      if (!e || !ts.isObjectLiteralExpression(e)) return;
      for (const p of e.properties) if (ts.isPropertyAssignment(p)) add(p.initializer);
    };

    const returns = (body: ts.Node): void => {
      if (ts.isArrowFunction(body) || ts.isFunctionExpression(body)) return returns(body.body); // a check made by a factory (isoCheck("x"))
      if (!ts.isBlock(body)) return add(body as ts.Expression);
      const visitReturn = (n: ts.Node) => {
        if (ts.isReturnStatement(n) && n.expression && n.expression.kind !== ts.SyntaxKind.NullKeyword) returns(n.expression);
        if (!ts.isFunctionLike(n)) ts.forEachChild(n, visitReturn);
      };
      ts.forEachChild(body, visitReturn);
    };

    const visit = (n: ts.Node) => {
      if (ts.isFunctionDeclaration(n) && n.name && MESSAGE_FUNCTION.test(n.name.text) && n.body) returns(n.body);
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && MESSAGE_FUNCTION.test(n.name.text) && n.initializer && ts.isArrowFunction(n.initializer)) returns(n.initializer.body);
      if (PROBLEM_FILES.some((re) => re.test(rel)) && ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === "message") add(n.initializer);
      if (PROBLEM_FILES.some((re) => re.test(rel)) && ts.isCallExpression(n) && ts.isIdentifier(n.expression) && PROBLEM_HELPERS.has(n.expression.text) && n.arguments.length >= 2) {
        const last = n.arguments[n.arguments.length - 1];
        if (!ts.isObjectLiteralExpression(last) && !ts.isIdentifier(last)) add(last);
      }
      // An action's refusal: `return { ok: false, message: "…" }`.
      if (ACTION_FILE.test(rel) && ts.isObjectLiteralExpression(n) && n.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText(sf) === "ok" && p.initializer.kind === ts.SyntaxKind.FalseKeyword)) {
        for (const p of n.properties) {
          if (ts.isPropertyAssignment(p) && p.name.getText(sf) === "message") add(p.initializer);
          if (ts.isShorthandPropertyAssignment(p) && p.name.text === "message") add(p.name);
        }
      }
      // A field error set by hand: errors[key] = `…`.
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(n.left) && ts.isIdentifier(n.left.expression) && /^(errors|fieldErrors|fields)$/.test(n.left.expression.text)) {
        const s = shapes(n.right);
        if (s) add(n.right);
      }
      // A browser route's error answer: error(404, "Batch not found."), uploadError(…) (lib/http/respond.ts).
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && ROUTE_ERRORS.has(n.expression.text) && n.arguments.length === 2 && ts.isNumericLiteral(n.arguments[0])) add(n.arguments[1]);
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text in ERRORS) {
        const name = n.expression.text;
        const arg = n.arguments?.[ERRORS[name]];
        if (name === "NotFoundError") {
          if (arg) add(arg, (s) => `${s} was not found.`);
        } else {
          add(arg);
          if (name === "UserError" || name === "RetryLaterError") addFields(n.arguments?.[1]);
        }
      } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const cls = ts.findAncestor(n, ts.isClassDeclaration);
        const base = cls?.heritageClauses?.[0]?.types[0]?.expression;
        if (base && ts.isIdentifier(base) && base.text in ERRORS && base.text !== "NotFoundError") add(n.arguments[ERRORS[base.text]]);
      } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ZOD_CHECKS.has(n.expression.name.text) && sf.text.includes('from "zod"')) {
        const last = n.arguments[n.arguments.length - 1];
        const literal = last && (ts.isStringLiteral(last) || ts.isNoSubstitutionTemplateLiteral(last) || ts.isTemplateExpression(last));
        // .startsWith("sk-"), .literal("x"): a lone string there is a value, not a message.
        if (literal && (n.arguments.length >= 2 || !VALUE_FIRST.has(n.expression.name.text))) add(last);
        else if (last && ts.isObjectLiteralExpression(last)) {
          for (const p of last.properties) if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === "message" || p.name.text === "error")) add(p.initializer);
        }
      } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "addIssue" && sf.text.includes('from "zod"')) {
        const o = n.arguments[0];
        if (o && ts.isObjectLiteralExpression(o)) for (const p of o.properties) if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "message") add(p.initializer);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  const seen = new Set<string>();
  return { messages: messages.filter((m) => (seen.has(m.text) ? false : (seen.add(m.text), true))), dynamic };
}
