import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", ".test-output/**"] },
  {
    // A style attribute in server-rendered HTML is refused by the CSP (style-src has no
    // 'unsafe-inline'), so what it sizes draws nothing: size with classes or SVG attributes.
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    rules: { "react/forbid-dom-props": ["error", { forbid: [{ propName: "style", message: "The CSP refuses style attributes in server HTML; use classes or SVG attributes" }] }] },
  },
];

export default config;
