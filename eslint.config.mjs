import next from "eslint-config-next/core-web-vitals";
import ts from "eslint-config-next/typescript";

// The walls between layers (docs/architecture.md, "Layers"). In flat config a later
// no-restricted-imports entry for the same files replaces an earlier one, so each block lists every
// pattern its files must keep. Tests and their fixtures stand outside the walls: they play the
// provider's other clients and serve its imitation.
const tests = ["**/*.test.ts", "**/fixtures.ts", "**/*.fixtures.ts"];
// lib never imports components/ or app/ (its tests included), so domain code runs and is tested
// without a page or a route, and a route or a component is always the one that depends.
const noUi = [
  { group: ["@/components", "@/components/*", "**/../components", "**/../components/*"], message: "lib never imports components/: move what both need into lib." },
  { group: ["@/app", "@/app/*", "**/../app", "**/../app/*"], message: "lib never imports app/: move what both need into lib, or test a route's handler beside it in app/." },
];
const noSdk = {
  group: ["openai", "openai/*", "@anthropic-ai/**"],
  message: "The engine speaks to providers only through their adapters (lib/providers/adapters.ts): an SDK is made inside its adapter.",
};
const noProviderFolder = {
  group: ["@/lib/providers/*/*"],
  message: "The engine sees providers through lib/providers/*.ts (adapter, adapters, profile, profiles, checks, status...), never a provider's folder.",
};
const noEngine = { group: ["@/lib/batches", "@/lib/batches/**"], message: "Providers know nothing of the batch engine: it calls them through ProviderAdapter." };
const noProfileSide = {
  group: ["**/profile", "**/profiles", "**/adapter", "**/adapters", "**/checks", "**/connections*"],
  message: "An imitation shares no table with the profiles or the adapters: a test where the client and the fake server read one would prove nothing.",
};
const walls = (...patterns) => ({ "no-restricted-imports": ["error", { patterns: patterns.flat() }] });

const config = [
  ...next,
  ...ts,
  { ignores: ["lib/generated/**", ".next*/**", "data*/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "bench/out/**"] },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The wall between the domain and the UI, for all of lib (read models, URL state and column lists
  // the pages share live in lib/results and lib/compare). The narrower walls below repeat noUi.
  {
    files: ["lib/**/*.{ts,tsx}"],
    rules: {
      ...walls(noUi),
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
  // No import cycles in lib (type-only imports aside: they vanish at run time).
  { files: ["lib/**/*.{ts,tsx}"], rules: { "import/no-cycle": ["error", { ignoreExternal: true }] } },
  // The engine: no SDK, no provider's folder.
  { files: ["lib/batches/engine/**", "lib/batches/history/**"], ignores: tests, rules: walls(noUi, noSdk, noProviderFolder) },
  // Providers never import the engine.
  { files: ["lib/providers/**"], ignores: tests, rules: walls(noUi, noEngine) },
  // The sandbox and every imitation: independent of the profiles and the adapters.
  {
    files: ["lib/providers/*/imitation.ts", "lib/providers/imitations.ts", "lib/providers/sandbox/**"],
    ignores: [...tests, "lib/providers/sandbox/profile.ts"],
    rules: walls(noUi, noEngine, noProfileSide),
  },
];

export default config;
