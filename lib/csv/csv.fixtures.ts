// Test material for lib/csv.

/**
 * '编号,问题\r\nq1,你好，世界\r\nq2,"多行\n文本：批处理"\r\n' in GB18030, as Excel in China saves a CSV:
 * made with Python's str.encode("gb18030") and checked with `iconv -f GB18030 -t UTF-8`.
 */
export const GB18030_CSV = Buffer.from(
  "b1e0bac52ccecacce20d0a71312cc4e3bac3a3accac0bde70d0a71322c22b6e0d0d00acec4b1bea3bac5fab4a6c0ed220d0a",
  "hex",
);
export const GB18030_TEXT = '编号,问题\r\nq1,你好，世界\r\nq2,"多行\n文本：批处理"\r\n';
