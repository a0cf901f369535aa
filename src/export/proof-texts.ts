// The built-in texts an export is proven on: PyTorch and embedline embed each of them and must
// agree. English, Chinese and mixed text, as the checkpoints people export are English, Chinese
// (bert-base-chinese) or multilingual; awkward input (accents, emoji, one character); and one long
// passage that a 256-token model must truncate, so the length limit is proven too.

export interface ProofText {
  label: string;
  text: string;
}

const LONG_PASSAGE = [
  'The history of the lighthouse is, in many ways, the history of coastal trade itself.',
  'Long before electricity, harbour towns kept fires burning on headlands so that returning fishermen could find their way home after dark,',
  'and the keepers who tended those fires were paid by merchants, guilds, or sometimes by nobody at all.',
  '灯塔的历史在很多方面就是沿海贸易本身的历史。在电力出现之前，港口城镇在岬角上燃起篝火，让归来的渔民在天黑后找到回家的路。',
  'During the eighteenth and nineteenth centuries, engineers transformed the craft: interlocking granite blocks survived storms that had destroyed',
  'earlier wooden towers, and stepped lenses concentrated the light of a single oil lamp into a beam that reached far beyond the horizon.',
  'Keepers trimmed wicks, polished brass, wound clockwork every few hours, recorded the weather and watched for ships in distress.',
  '二十世纪，自动化逐渐到来：先是乙炔灯和日光阀，然后是电灯、柴油发电机和远程监控。',
  'Today satellite navigation tells a ship its position to within a few metres, yet many lighthouses still shine every night,',
  'partly as a backup when electronics fail, and partly because communities argue that these towers deserve to be preserved.',
].join(' ');

export const PROOF_TEXTS: readonly ProofText[] = [
  { label: 'english', text: 'The quick brown fox jumps over the lazy dog.' },
  { label: 'english-question', text: 'How do I reset my password if I no longer have access to my email?' },
  { label: 'chinese', text: '我们明天下午三点在图书馆见面，讨论机器学习的项目。' },
  { label: 'chinese-news', text: '股市在公告发布后大幅下跌，投资者纷纷抛售股票。' },
  { label: 'mixed', text: '这个 embedding 模型把 sentences 变成向量 (vectors)，用于 semantic search。' },
  { label: 'mixed-scripts', text: 'Hello 世界! Bonjour le monde, こんにちは, 안녕하세요 — 3.14159 and 2024-06-01.' },
  { label: 'accents', text: 'Un café naïve à Zürich; die Straße; São Paulo; façade.' },
  { label: 'emoji', text: 'I love pizza 🍕 and coffee ☕! 😀👍🏽' },
  { label: 'single-character', text: '猫' },
  { label: 'long-passage', text: LONG_PASSAGE },
];
