// The design's theme: the brand colours and the font stacks (Chinese system fonts before the generic
// fallback). Tailwind 4 reads this file through `@config` in app/globals.css; only `theme` is used
// (Tailwind 4 ignores corePlugins, safelist and separator here, and finds the classes itself).
// Colours and fonts given here are inlined into the utilities that use them, not emitted as CSS
// variables: use the utilities (bg-brand-600), not var(--color-brand-600).
import type { Config } from "tailwindcss";

export default {
  theme: {
    extend: {
      fontFamily: {
        sans: ["ui-sans-serif", "system-ui", "-apple-system", '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial", '"Noto Sans"', '"PingFang SC"', '"Microsoft YaHei"', "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", '"Liberation Mono"', "monospace"],
      },
      colors: {
        brand: { 50: "#eef4ff", 100: "#dbe7ff", 500: "#3b6ef5", 600: "#2a56d8", 700: "#2044ad" },
      },
    },
  },
} satisfies Config;
