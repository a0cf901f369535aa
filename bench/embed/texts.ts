// The two text sets every engine embeds: STS-b dev sentences (both columns, file order) and
// ~256-token passages built by concatenating those sentences until the next one would push the
// passage over the model's 256-token limit (special tokens included), so no engine truncates.
import { readStsFile } from '../../src/eval/sts.ts';
import type { TextTokenizer } from '../../src/embed/tokenizer.ts';

export interface TextSet {
  name: string;
  /** What the set is, for the report. */
  label: string;
  texts: string[];
  /** Tokens per text, [CLS] and [SEP] included, by the model's tokenizer (no padding). */
  tokens: number[];
}

export function totalTokens(set: TextSet): number {
  return set.tokens.reduce((sum, n) => sum + n, 0);
}

export function stsSentences(path: string, limit: number): string[] {
  const pairs = readStsFile(path);
  return pairs.flatMap((p) => [p.first, p.second]).slice(0, limit);
}

/**
 * Passages of at most `maxTokens` tokens: sentences are appended (space-separated, cycling through
 * `sentences`) while the re-tokenised passage still fits. With ~15-token sentences this gives
 * passages of roughly maxTokens − 15 … maxTokens tokens.
 */
export function buildPassages(sentences: readonly string[], tokenizer: TextTokenizer, count: number, maxTokens: number): string[] {
  const passages: string[] = [];
  let cursor = 0;
  const next = () => sentences[cursor++ % sentences.length];
  while (passages.length < count) {
    let passage = next();
    for (;;) {
      const candidate = `${passage} ${sentences[cursor % sentences.length]}`;
      if (tokenizer.encode(candidate).length > maxTokens) break;
      passage = candidate;
      cursor++;
    }
    passages.push(passage);
  }
  return passages;
}

export function makeSet(name: string, label: string, texts: string[], tokenizer: TextTokenizer): TextSet {
  return { name, label, texts, tokens: texts.map((t) => tokenizer.encode(t).length) };
}
