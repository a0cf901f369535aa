// parse-prometheus-text-format ships no types; test/support/prometheus-text.ts types its output.
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
