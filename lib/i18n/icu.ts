// What an ICU message asks of its caller: the arguments it names and how it uses each, and its
// rich-text tags. A small reader of the syntax the app's messages use ({arg}, {arg, type, style},
// plural/select branches holding messages of their own, <tag>…</tag>, '…' quoting), so the
// message tests see "{role, select, OWNER {owner} other {viewer}}" as one argument, not three.

export type Kind = "plain" | "number" | "date" | "time" | "plural" | "selectordinal" | "select" | "tag";
/**
 * What a message needs of an argument: a number (Chinese says "{count, number} 个" where English
 * needs "{count, plural, …}"), a date, one of some values, any text, or a tag.
 */
export const CLASS: Record<Kind, string> = { plain: "text", number: "number", plural: "number", selectordinal: "number", date: "date", time: "date", select: "select", tag: "tag" };

/**
 * The arguments and tags of an ICU message as "name:class" (CLASS), sorted and unique; throws on a
 * message it cannot read (an unclosed brace, a branch without a message).
 */
export function icuArguments(message: string): string[] {
  const found = new Set<string>();
  let i = 0;
  const readMessage = (untilBrace: boolean) => {
    while (i < message.length) {
      const c = message[i];
      if (c === "'" && message[i + 1] === "'") i += 2;
      else if (c === "'" && "{}<#".includes(message[i + 1] ?? "")) {
        const end = message.indexOf("'", i + 1);
        i = end < 0 ? message.length : end + 1;
      } else if (c === "{") {
        i++;
        readArgument();
      } else if (c === "}") {
        if (untilBrace) return;
        throw new Error(`unmatched } at ${i} in ${JSON.stringify(message)}`);
      } else if (c === "<") {
        const m = /^<\/?([A-Za-z][\w-]*)\s*\/?>/.exec(message.slice(i));
        if (m) {
          found.add(`${m[1]}:tag`);
          i += m[0].length;
        } else i++;
      } else i++;
    }
    if (untilBrace) throw new Error(`unclosed { in ${JSON.stringify(message)}`);
  };
  const readArgument = () => {
    const m = /^\s*([\w]+)\s*(?:,\s*(\w+)\s*)?/.exec(message.slice(i));
    if (!m) throw new Error(`bad argument at ${i} in ${JSON.stringify(message)}`);
    i += m[0].length;
    const [, name, type] = m;
    const kind: Kind = (type as Kind | undefined) ?? "plain";
    found.add(`${name}:${CLASS[kind]}`);
    if (message[i] === "}") {
      i++;
      return;
    }
    if (kind === "plural" || kind === "select" || kind === "selectordinal") {
      if (message[i] !== ",") throw new Error(`${kind} without branches in ${JSON.stringify(message)}`);
      i++;
      // Branches: a selector (other, one, =0, offset:1 is not used here) then {message}.
      for (;;) {
        const b = /^\s*(=?[\w-]+)\s*/.exec(message.slice(i));
        if (!b) break;
        i += b[0].length;
        if (message[i] !== "{") throw new Error(`branch ${b[1]} without a message in ${JSON.stringify(message)}`);
        i++;
        readMessage(true);
        i++;
      }
      while (message[i] === " ") i++;
      if (message[i] !== "}") throw new Error(`unclosed ${kind} in ${JSON.stringify(message)}`);
      i++;
      return;
    }
    // number/date/time with a style: skip to the closing brace.
    const end = message.indexOf("}", i);
    if (end < 0) throw new Error(`unclosed argument in ${JSON.stringify(message)}`);
    i = end + 1;
  };
  readMessage(false);
  return [...found].sort();
}
