// A varied corpus chunked by several tokenizers at several settings, reduced to one sha256 per
// (tokenizer, settings): the chunker's output pinned down byte for byte, so a faster chunker can be
// shown to cut exactly as before. Tokenizers: the shared MiniLM (BERT WordPiece), with and without
// document prompts, and tokenizer.json variants made here (cased BERT, MPNet-style specials with an
// lstrip mask, a SentencePiece-style Unigram with Metaspace, a byte-level BPE), so no download.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stsSentences } from '../../../bench/embed/texts.ts';
import { buildDocuments } from '../../../bench/ingest/corpus.ts';
import { TextTokenizer } from '../../../src/embed/tokenizer.ts';
import type { ChunkSettings } from '../../../src/producer/chunking/chunk-settings.ts';
import { documentTokenizer, type ChunkTokenizer } from '../../../src/producer/chunking/chunk-tokenizer.ts';
import { chunkDocument } from '../../../src/producer/chunking/chunker.ts';
import { MODEL_DIR } from '../../support/model.ts';
import { messyDocument, picker, prose, seededRandom } from '../text-generator.ts';

export const DIGEST_SETTINGS: ChunkSettings[] = [
  { chunkTokens: 254, overlap: 32 },
  { chunkTokens: 100, overlap: 50 },
  { chunkTokens: 64, overlap: 0 },
  { chunkTokens: 32, overlap: 8 },
  { chunkTokens: 16, overlap: 8 },
];

const STS_DEV = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv');

/** Whitespace and invisible characters a tokenizer may treat differently from the chunker's \s. */
const ODD_SPACES = [' ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\u2009', '\u202f', '\v', '\f', '\ufeff', '\u200b', '\u0085', '\u00ad', '\u0000'];

function oddSpacing(seed: number): string {
  const random = seededRandom(seed);
  const pick = picker(random);
  const words = ['ΟΔΟΣ', 'ΣΑΣ', 'Σ', 'İstanbul', 'e\u0301', '\u0301x', '[MASK]', '[mask]', '<mask>', 'naïve', 'Straße', 'ﬁne', '①', '𝔘', '漢字', 'a.b', '...', 'x'];
  const parts: string[] = [];
  for (let i = 0; i < 600; i++) parts.push(pick(words), pick(ODD_SPACES));
  return parts.join('');
}

/** Every document the digests cover, in a fixed order. */
export function digestCorpus(): string[] {
  const sts = buildDocuments(stsSentences(STS_DEV, Infinity), 120);
  const random = seededRandom(2026);
  const pick = picker(random);
  const cjk = '漢字仮名交じり文日本語中文字符处理测试数据一二三四五六七八九十'.split('');
  const chinese = Array.from({ length: 4 }, (_, i) =>
    Array.from({ length: 300 + 400 * i }, () => pick(cjk)).join('').replace(/(.{17})/g, i % 2 === 0 ? '$1。' : '$1，'),
  );
  const hugeWords = [`Before. ${'a'.repeat(5000)} after.`, `${'ab1-'.repeat(1250)}`, `x ${'Ω'.repeat(3000)} y`, `${'漢'.repeat(2500)}`, `see ${'https://example.com/'.repeat(80)} end`];
  const generated = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? prose(seededRandom(100 + i), 1 + (i % 12)) : messyDocument(seededRandom(100 + i))));
  const odd = Array.from({ length: 4 }, (_, i) => oddSpacing(300 + i));
  const longSts = [sts.filter((_, i) => i % 10 === 9).join('\n\n'), sts.slice(0, 60).join(' ')];
  return [...sts, ...chinese, ...hugeWords, ...generated, ...odd, ...longSts, '', '  \n ', 'One.', '\ufeffHello\ufeffworld', 'a\vb\fc'];
}

type Json = Record<string, unknown>;

function readJson(name: string): Json {
  return JSON.parse(readFileSync(join(MODEL_DIR, name), 'utf8')) as Json;
}

function bertVariant(change: (json: Json) => void): TextTokenizer {
  const json = readJson('tokenizer.json');
  change(json);
  return new TextTokenizer(json, readJson('tokenizer_config.json'));
}

function unigram(): TextTokenizer {
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const pieces = ['▁', '▁the', '▁a', 'ing', 'ed', '▁of', '▁and', 's', '▁to', 'er', ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?-\'"'];
  const vocab: Array<[string, number]> = [...specials.map((s): [string, number] => [s, 0]), ...pieces.map((p, i): [string, number] => [p, -2 - i / 100])];
  const json = {
    added_tokens: specials.map((content, id) => ({ id, content, special: true, single_word: false, lstrip: false, rstrip: false, normalized: false })),
    normalizer: { type: 'NFKC' },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [],
      special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 3, vocab, byte_fallback: false },
  };
  return new TextTokenizer(json, { sep_token: '</s>', pad_token: '<pad>', unk_token: '<unk>' });
}

function byteLevelBpe(): TextTokenizer {
  const bytes: string[] = [];
  for (let b = 0; b < 256; b++) bytes.push(byteChar(b));
  const merges = ['t h', 'th e', 'Ġ t', 'Ġt he', 'i n', 'in g', 'e r', 'Ġ a', 'o n', 'e d'];
  const merged = merges.map((m) => m.replace(' ', ''));
  const vocab = Object.fromEntries(['<s>', '<pad>', '</s>', '<unk>', ...bytes, ...merged].map((token, id) => [token, id]));
  const json = {
    added_tokens: ['<s>', '<pad>', '</s>', '<unk>'].map((content, id) => ({ id, content, special: true, single_word: false, lstrip: false, rstrip: false, normalized: false })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
  return new TextTokenizer(json, { sep_token: '</s>', pad_token: '<pad>' });
}

/** GPT-2's printable stand-in for byte b. */
function byteChar(b: number): string {
  const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  if (printable) return String.fromCharCode(b);
  let n = 0;
  for (let x = 0; x < b; x++) if (!((x >= 0x21 && x <= 0x7e) || (x >= 0xa1 && x <= 0xac) || (x >= 0xae && x <= 0xff))) n++;
  return String.fromCharCode(256 + n);
}

/** The tokenizers the digests are taken with, by a stable name. */
export function digestTokenizers(): Record<string, ChunkTokenizer> {
  const minilm = new TextTokenizer(readJson('tokenizer.json'), readJson('tokenizer_config.json'));
  const cased = bertVariant((json) => {
    json.normalizer = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: false };
  });
  const mpnetStyle = bertVariant((json) => {
    json.post_processor = { type: 'RobertaProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101], trim_offsets: true, add_prefix_space: false };
    for (const token of json.added_tokens as Array<{ content: string; lstrip: boolean }>) if (token.content === '[MASK]') token.lstrip = true;
  });
  return {
    minilm,
    'minilm+passage-prompt': documentTokenizer(minilm, 'Represent this document for retrieval of relevant passages: '),
    'minilm+unspaced-prompt': documentTokenizer(minilm, 'passage:'),
    'minilm+word-prompt': documentTokenizer(minilm, 'passage'),
    'bert-cased': cased,
    'mpnet-style': mpnetStyle,
    'mpnet-style+prompt': documentTokenizer(mpnetStyle, 'passage: '),
    'unigram-metaspace': unigram(),
    'unigram-metaspace+prompt': documentTokenizer(unigram(), 'passage: '),
    'byte-level-bpe': byteLevelBpe(),
  };
}

/** sha256 of every chunk's start, end, tokens and text, over the whole corpus in order. */
export function chunkDigest(documents: readonly string[], tokenizer: ChunkTokenizer, settings: ChunkSettings): string {
  const hash = createHash('sha256');
  documents.forEach((text, i) => {
    let chunks;
    try {
      chunks = chunkDocument({ id: `d${i}`, text, metadata: {} }, tokenizer, settings);
    } catch (err) {
      // A document the chunker refuses is pinned down too: it must keep refusing it the same way.
      hash.update(`doc ${i} error ${(err as Error).message}\n`);
      return;
    }
    hash.update(`doc ${i} ${chunks.length}\n`);
    for (const c of chunks) hash.update(`${c.start} ${c.end} ${c.tokens} ${c.text.length}\n`).update(c.text).update('\n');
  });
  return hash.digest('hex');
}

export function digestKey(name: string, settings: ChunkSettings): string {
  return `${name} ${settings.chunkTokens}/${settings.overlap}`;
}
