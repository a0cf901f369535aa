// `embedline embed`: a JSONL file of texts in, a JSONL file of vectors out, in input order.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import { action } from './run-command.ts';
import { AtomicFileWriter } from './atomic-file.ts';
import { addModelOptions, embedderFromFlags, poolingFlag, type ModelFlags } from './model-options.ts';

interface EmbedFlags extends ModelFlags {
  input: string;
  output: string;
  normalize: boolean;
  truncate?: boolean;
}

/** Texts per embed call: bounds memory while letting the embedder batch by tokens within it. */
const GROUP_SIZE = 2048;
const MAX_REPORTED_ERRORS = 20;

/** Each line is a JSON string or {"text": "..."}; every bad line is reported before anything runs. */
export function readTextLines(path: string): string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EmbedlineError('INPUT_INVALID', `cannot read input ${path}: ${(err as Error).message}`, { cause: err });
  }
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const texts: string[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const where = `${path}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push(`${where}: not valid JSON (${(err as Error).message})`);
      return;
    }
    const text = typeof value === 'string' ? value : (value as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') problems.push(`${where}: expected a JSON string or an object with a string "text" field`);
    else if (text.trim() === '') problems.push(`${where}: text is empty`);
    else texts.push(text);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_ERRORS).join('\n  ');
    const more = problems.length > MAX_REPORTED_ERRORS ? `\n  … and ${problems.length - MAX_REPORTED_ERRORS} more` : '';
    throw new EmbedlineError('INPUT_INVALID', `${problems.length} bad input line(s), nothing written:\n  ${shown}${more}`);
  }
  return texts;
}

export function registerEmbedCommand(program: Command): void {
  const command = program
    .command('embed')
    .description('embed texts from a JSONL file; writes {"vector": [...], "tokens": N} per line, in input order')
    .requiredOption('--input <file>', 'JSONL: one JSON string or {"text": "..."} per line')
    .requiredOption('--output <file>', 'JSONL output, written only if every line succeeds')
    .option('--no-normalize', 'skip L2 normalisation')
    .option('--truncate', "cut texts over the model's length limit instead of failing");
  addModelOptions(command).action(
    action(async (flags: EmbedFlags) => {
      const texts = readTextLines(flags.input);
      const embedder = await embedderFromFlags(flags);
      const pooling = poolingFlag(flags);
      const out = new AtomicFileWriter(flags.output);
      try {
        for (let start = 0; start < texts.length; start += GROUP_SIZE) {
          const group = texts.slice(start, start + GROUP_SIZE);
          const result = await embedTextsNamingLines(embedder, group, start, flags, pooling);
          const lines = result.vectors.map((v, i) => JSON.stringify({ vector: Array.from(v), tokens: result.tokens[i] }));
          await out.write(lines.join('\n') + '\n');
        }
        await out.commit();
      } catch (err) {
        await out.abort();
        throw err;
      }
      process.stderr.write(`embedded ${texts.length} texts → ${flags.output}\n`);
    }),
  );
}

/** Re-raises per-text errors (too long, empty) with the input file's line number in them. */
async function embedTextsNamingLines(
  embedder: Embedder,
  texts: string[],
  offset: number,
  flags: EmbedFlags,
  pooling: Pooling | undefined,
) {
  try {
    return await embedder.embed(texts, { pooling, normalize: flags.normalize, truncate: flags.truncate });
  } catch (err) {
    const index = isEmbedlineError(err) ? err.details?.index : undefined;
    if (typeof index !== 'number' || !isEmbedlineError(err)) throw err;
    const line = offset + index + 1;
    const reason = err.code === 'TEXT_TOO_LONG' ? `has ${String(err.details?.tokens)} tokens, over the limit of ${String(err.details?.limit)} (use --truncate)` : err.message;
    throw new EmbedlineError(err.code, `${flags.input}:${line}: text ${reason}`, { details: { ...err.details, line } });
  }
}
