import next from "eslint-config-next/core-web-vitals";
import ts from "eslint-config-next/typescript";

const config = [
  ...next,
  ...ts,
  { ignores: ["lib/generated/**", ".next*/**", "data*/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "bench/out/**"] },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The wall between the domain and the UI: lib never imports components/ or app/ (its tests
  // included), so domain code runs and is tested without a page or a route, and a route or a
  // component is always the one that depends. Read models, URL state and column lists the pages
  // share live in lib (lib/results, lib/compare). In flat config a later no-restricted-imports
  // entry for the same files replaces this one: a narrower wall under lib/ must repeat these patterns.
  {
    files: ["lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/components", "@/components/*", "**/../components", "**/../components/*"], message: "lib never imports components/: move what both need into lib." },
            { group: ["@/app", "@/app/*", "**/../app", "**/../app/*"], message: "lib never imports app/: move what both need into lib, or test a route's handler beside it in app/." },
          ],
        },
      ],
      // no-restricted-imports does not see import(): the same wall for dynamic imports.
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportExpression[source.value=/^(@\\/|(\\.\\.\\/)+)(components|app)(\\/|$)/]",
          message: "lib never imports components/ or app/, not even with import().",
        },
      ],
    },
  },
];

export default config;
