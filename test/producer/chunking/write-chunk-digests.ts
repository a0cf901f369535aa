// Writes chunk-digests.json: the digests of chunk-digest-corpus.ts as the chunker cuts today. Run
// it only when the chunker is meant to cut differently (and bump CHUNKER_VERSION then):
//
//   node --import tsx test/producer/chunking/write-chunk-digests.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunkDigest, digestCorpus, digestKey, DIGEST_SETTINGS, digestTokenizers } from './chunk-digest-corpus.ts';

const documents = digestCorpus();
const digests: Record<string, string> = {};
for (const [name, tokenizer] of Object.entries(digestTokenizers())) {
  for (const settings of DIGEST_SETTINGS) {
    const started = performance.now();
    digests[digestKey(name, settings)] = chunkDigest(documents, tokenizer, settings);
    process.stderr.write(`${digestKey(name, settings)}: ${Math.round(performance.now() - started)} ms\n`);
  }
}
writeFileSync(join(import.meta.dirname, 'chunk-digests.json'), `${JSON.stringify(digests, null, 2)}\n`);
