// The model's own tokenizer (tokenizers.js reading tokenizer.json), wrapped so that callers get
// token ids with special tokens and decide about truncation themselves. tokenizer.json's own
// truncation/padding sections are deliberately ignored: the embedder owns length and padding.
import { Tokenizer } from '@huggingface/tokenizers';
import { isWhitespaceAdditive } from './whitespace-additivity.ts';

/** One token as TEI's /tokenize names it: its id, its text in the vocabulary, whether it is a special token. */
export interface TokenPiece {
  id: number;
  text: string;
  special: boolean;
}

export class TextTokenizer {
  private readonly tokenizer: Tokenizer;
  /** Ids of the tokenizer's special tokens ([CLS], [SEP], [PAD], …: tokenizer.json's added tokens marked special). */
  private readonly specialIds: ReadonlySet<number>;
  private readonly sepId: number;
  readonly padId: number;
  /** Number of special tokens the template adds around one text ([CLS] and [SEP] for BERT). */
  readonly specialTokenCount: number;
  /** Whether tokens of whitespace-separated words add up (whitespace-additivity.ts): lets the chunker sum word counts. */
  readonly whitespaceAdditive: boolean;

  constructor(tokenizerJson: object, tokenizerConfig: object) {
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    const added = (tokenizerJson as { added_tokens?: Array<{ id: number; special?: boolean }> }).added_tokens ?? [];
    this.specialIds = new Set(added.filter((token) => token.special).map((token) => token.id));
    const config = tokenizerConfig as { sep_token?: string; pad_token?: string };
    this.sepId = this.requireId(config.sep_token ?? '[SEP]');
    this.padId = this.tokenizer.token_to_id(config.pad_token ?? '[PAD]') ?? 0;
    this.specialTokenCount = this.encode('').length;
    this.whitespaceAdditive = isWhitespaceAdditive(tokenizerJson, tokenizerConfig);
  }

  private requireId(token: string): number {
    const id = this.tokenizer.token_to_id(token);
    if (id === undefined) throw new Error(`tokenizer has no id for special token ${token}`);
    return id;
  }

  /** Ids with [CLS] … [SEP], never truncated. */
  encode(text: string): number[] {
    return this.tokenizer.encode(text).ids;
  }

  /** The tokens of a text, with or without the special tokens around it, never truncated. */
  pieces(text: string, addSpecialTokens: boolean): TokenPiece[] {
    const { ids, tokens }: { ids: number[]; tokens: string[] } = this.tokenizer.encode(text, { add_special_tokens: addSpecialTokens });
    return ids.map((id, i) => ({ id, text: tokens[i], special: this.specialIds.has(id) }));
  }

  /** Ids without special tokens: what a piece of text adds inside a window. */
  encodeContent(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  /** Wraps content ids (a client's own tokenization, no special tokens) as encode() would wrap them. */
  withSpecialTokens(content: readonly number[]): number[] {
    const template = this.encode(''); // [CLS] [SEP] for BERT: the content goes before the last one
    return [...template.slice(0, -1), ...content, ...template.slice(-1)];
  }

  /** Whether a token id is in the vocabulary (an unknown id would fail inside the ONNX run). */
  knowsId(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && this.tokenizer.id_to_token(id) !== undefined;
  }

  /** Cuts an encoded sequence to `limit` tokens, keeping the closing [SEP] as HF truncation does. */
  truncate(ids: number[], limit: number): number[] {
    if (ids.length <= limit) return ids;
    const cut = ids.slice(0, limit - 1);
    cut.push(this.sepId);
    return cut;
  }
}
