// Seeded random documents for the chunker's property tests: prose with paragraphs and sentences,
// plus the awkward material real corpora contain (very long words, CJK without spaces, emoji,
// odd whitespace). Seeded, so a failure reproduces.

export function seededRandom(seed: number): () => number {
  // mulberry32
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is was for on that with as by at from his her an were which this be are has have had not ' +
  'market river quantum bicycle orchestra photosynthesis municipal unbelievable reconstruction tokenizer ' +
  'embedding vector pipeline Zürich naïve café résumé coöperate 2024 3.14 e-mail state-of-the-art'
).split(' ');
const CJK = '漢字仮名交じり文日本語中文字符处理测试数据한국어문장'.split('');
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧', '🇫🇷', '❤️', '🧑‍💻', '𝔘', '𠜎'];

export type Pick = <T>(items: readonly T[]) => T;

export function picker(random: () => number): Pick {
  return (items) => items[Math.floor(random() * items.length)];
}

export function sentence(random: () => number, maxWords = 25): string {
  const pick = picker(random);
  const words = Array.from({ length: 3 + Math.floor(random() * (maxWords - 2)) }, () => pick(WORDS));
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(random() < 0.1 ? ',  ' : ' ')}${pick(['.', '.', '.', '?', '!', '."'])}`;
}

export function paragraph(random: () => number, sentences: number, maxWords = 25): string {
  return Array.from({ length: sentences }, () => sentence(random, maxWords)).join(random() < 0.2 ? '\n' : ' ');
}

export function prose(random: () => number, paragraphs: number): string {
  return Array.from({ length: paragraphs }, () => paragraph(random, 1 + Math.floor(random() * 8))).join(random() < 0.5 ? '\n\n' : '\n \n');
}

/** Prose with hazards mixed in. */
export function messyDocument(random: () => number): string {
  const pick = picker(random);
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 12);
  for (let i = 0; i < count; i++) {
    const kind = random();
    if (kind < 0.45) parts.push(paragraph(random, 1 + Math.floor(random() * 10)));
    else if (kind < 0.55) parts.push(pick(['x', 'ab1-', 'longword', 'Ω']).repeat(50 + Math.floor(random() * 1500)));
    else if (kind < 0.65) parts.push(Array.from({ length: 20 + Math.floor(random() * 600) }, () => pick(CJK)).join(''));
    else if (kind < 0.72) parts.push(Array.from({ length: 10 + Math.floor(random() * 400) }, () => pick(CJK)).join('').replace(/(.{12})/g, '$1。'));
    else if (kind < 0.8) parts.push(Array.from({ length: 5 + Math.floor(random() * 300) }, () => pick(EMOJI)).join(random() < 0.5 ? '' : ' '));
    else if (kind < 0.87) parts.push(`https://example.com/${'path/'.repeat(1 + Math.floor(random() * 40))}?q=${'a'.repeat(Math.floor(random() * 200))}`);
    else if (kind < 0.93) parts.push(pick(['   ', '\t\t', '\r\n', '\n\n\n', ' \u00a0 ', '\u3000']));
    else parts.push(sentence(random, 60));
  }
  return parts.join(pick([' ', '\n', '\n\n', '  ', '\t']));
}
