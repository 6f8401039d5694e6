import { describe, expect, it } from "vitest";
import { formatBytes } from "./format";

describe("formatBytes", () => {
  it("names sizes in units, and bytes in the reader's language", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(380)).toBe("380 bytes");
    expect(formatBytes(380, "en")).toBe("380 bytes");
    expect(formatBytes(380, "zh-CN")).toBe("380 字节");
    expect(formatBytes(1536, "zh-CN")).toBe("1.5 KB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2 GB");
  });
});
