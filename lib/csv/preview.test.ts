import { describe, expect, it } from "vitest";
import { GB18030_CSV } from "./csv.fixtures";
import { previewHead } from "./preview";

describe("previewHead", () => {
  it("reads the header, the first rows, the encoding and the delimiter of a file's start", async () => {
    const p = await previewHead(GB18030_CSV, { truncated: false });
    expect(p).toMatchObject({ encoding: "gb18030", delimiter: ",", columns: ["编号", "问题"], partial: false, problemCount: 0 });
    expect(p.rows).toEqual([
      { row: 2, cells: ["q1", "你好，世界"] },
      { row: 3, cells: ["q2", "多行\n文本：批处理"] },
    ]);
  });

  it("drops the problems of a row cut by the end of a truncated start", async () => {
    const head = Buffer.from('id;text\n1;one\n2;"two, cut in\nthe middle');
    const p = await previewHead(head, { truncated: true, rows: 8 });
    expect(p.delimiter).toBe(";");
    expect(p.rows).toEqual([{ row: 2, cells: ["1", "one"] }]);
    expect(p.problems).toEqual([]);
    expect(p.partial).toBe(true);
  });

  it("keeps the problems of a whole file", async () => {
    const p = await previewHead(Buffer.from('id,text\n1,one\n2,"never closed\n'), { truncated: false });
    expect(p.problems.map((x) => [x.line, x.field])).toEqual([[3, "text"]]);
  });
});
