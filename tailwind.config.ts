// The font stacks (Chinese system fonts before the generic fallback). Tailwind 4 reads this file
// through `@config` in app/globals.css; only `theme` is used (Tailwind 4 ignores corePlugins,
// safelist and separator here, and finds the classes itself). The colours live in app/globals.css
// (`@theme`), where they are CSS variables that dark mode flips.
import type { Config } from "tailwindcss";

export default {
  theme: {
    extend: {
      fontFamily: {
        sans: ["ui-sans-serif", "system-ui", "-apple-system", '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial", '"Noto Sans"', '"PingFang SC"', '"Microsoft YaHei"', "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", '"Liberation Mono"', "monospace"],
      },
    },
  },
} satisfies Config;
