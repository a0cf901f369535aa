// Whether a tokenizer's count for words separated by whitespace is the sum of each word's count:
// then the chunker can add up per-word counts instead of re-tokenizing every window. Proven only
// for the BERT family as tokenizers.js runs it (BertNormalizer or none, BertPreTokenizer,
// WordPiece, special tokens only around the text), on a text without the few whitespace
// characters the normalizer deletes; every other tokenizer, or text, is counted the slow way.
//
// Why the sum holds there: the normalizer works character by character (clean_text turns each
// whitespace character, as JavaScript's \s sees it, into a space and deletes control and format
// characters; CJK characters get spaces around them; NFD only reorders marks that follow a letter,
// never across a space; toLowerCase looks across nothing but case-ignorable characters, and a
// space is not one), the pre-tokenizer splits at that same \s, and WordPiece reads each word on its
// own. Added tokens ([MASK]) are matched in the raw text, so one without whitespace or CJK in it
// can never reach across a gap. The exceptions are the \s characters clean_text deletes instead of
// turning into a space (\v, \f and U+FEFF, which are control or format characters): they would join
// the words on either side into one.

/** The \s characters BertNormalizer's clean_text deletes: across them two words become one. */
const DELETED_WHITESPACE = /[\v\f\ufeff]/;

/** CJK characters, which BertNormalizer surrounds with spaces (tokenizers.js's is_chinese_char). */
const CJK = /[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u{20000}-\u{2a6df}\u{2a700}-\u{2ebef}\u{2f800}-\u{2fa1f}]/u;

interface TokenizerJson {
  normalizer?: { type?: string } | null;
  pre_tokenizer?: { type?: string } | null;
  model?: { type?: string };
  post_processor?: { type?: string; single?: Array<Record<string, unknown>> } | null;
  added_tokens?: Array<{ content?: string }>;
}

interface TokenizerConfig {
  remove_space?: boolean;
  do_lowercase_and_remove_accent?: boolean;
}

/** True when the tokenizer's token count adds up over whitespace-separated words (see above). */
export function isWhitespaceAdditive(tokenizerJson: object, tokenizerConfig: object): boolean {
  const json = tokenizerJson as TokenizerJson;
  const config = tokenizerConfig as TokenizerConfig;
  const normalizer = json.normalizer?.type;
  if (normalizer !== undefined && normalizer !== 'BertNormalizer') return false;
  if (json.pre_tokenizer?.type !== 'BertPreTokenizer' || json.model?.type !== 'WordPiece') return false;
  if (config.remove_space === true || config.do_lowercase_and_remove_accent === true) return false;
  if (!addsOnlyAround(json.post_processor)) return false;
  return (json.added_tokens ?? []).every(({ content }) => content !== undefined && content !== '' && !/\s/u.test(content) && !CJK.test(content));
}

/** The post-processor adds the same special tokens whatever the text: none, or some around it. */
function addsOnlyAround(processor: TokenizerJson['post_processor']): boolean {
  switch (processor?.type) {
    case undefined:
    case 'BertProcessing':
    case 'RobertaProcessing':
      return true;
    case 'TemplateProcessing':
      return (processor.single ?? []).filter((item) => 'Sequence' in item).length === 1;
    default:
      return false;
  }
}

/** Whether a text holds no whitespace that the BERT normalizer deletes (see DELETED_WHITESPACE). */
export function hasOnlySeparatingWhitespace(text: string): boolean {
  return !DELETED_WHITESPACE.test(text);
}

/**
 * Whether a prompt put before a text keeps the sum: it ends with whitespace that separates
 * (or is empty), so its last word and the text's first one are read apart.
 */
export function promptEndsApart(prompt: string): boolean {
  return prompt === '' || (/\s$/u.test(prompt) && hasOnlySeparatingWhitespace(prompt.slice(-1)));
}
