// Reads an NDJSON answer while it arrives. XMLHttpRequest hands over the whole text received so far
// on each progress event; the reader remembers where the last complete line ended and returns only
// the lines completed since, parsed, skipping blank ones. A line still arriving is left for the next
// call. Pure: no request, no state outside the reader it returns.

/** A reader of one answer: call it with the text received so far, get the new complete lines. */
export function ndjsonReader<T>(): (received: string) => T[] {
  let read = 0;
  return (received) => {
    const out: T[] = [];
    let nl: number;
    while ((nl = received.indexOf("\n", read)) !== -1) {
      const line = received.slice(read, nl);
      read = nl + 1;
      if (line.trim()) out.push(JSON.parse(line) as T);
    }
    return out;
  };
}
