// What `embedline embed` does once its flags are parsed (embed-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { readFileSync } from 'node:fs';
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { defaultPrompt, promptByName } from '../embed/prompts.ts';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import { AtomicFileWriter } from './atomic-file.ts';
import { poolingFlag, type ModelFlags } from './model-options.ts';
import { embedderFromFlags } from './model-loading.ts';

export interface EmbedFlags extends ModelFlags {
  input: string;
  output: string;
  normalize: boolean;
  truncate?: boolean;
  promptName?: string;
  prompt?: string;
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


/** --prompt, else the model's prompt named by --prompt-name, else the model's default prompt (none unless it names one). */
function promptFromFlags(embedder: Embedder, flags: EmbedFlags): string {
  if (flags.prompt !== undefined && flags.promptName !== undefined) throw new EmbedlineError('BAD_REQUEST', 'give --prompt or --prompt-name, not both');
  if (flags.prompt !== undefined) return flags.prompt;
  if (flags.promptName !== undefined) return promptByName(embedder.info.prompts, flags.promptName, embedder.info.name);
  return defaultPrompt(embedder.info.prompts);
}

/** Re-raises per-text errors (too long, empty) with the input file's line number in them. */
async function embedTextsNamingLines(
  embedder: Embedder,
  texts: string[],
  offset: number,
  flags: EmbedFlags,
  choices: { pooling?: Pooling; prompt: string },
) {
  try {
    return await embedder.embed(texts, { ...choices, normalize: flags.normalize, truncate: flags.truncate });
  } catch (err) {
    const index = isEmbedlineError(err) ? err.details?.index : undefined;
    if (typeof index !== 'number' || !isEmbedlineError(err)) throw err;
    const line = offset + index + 1;
    const reason = err.code === 'TEXT_TOO_LONG' ? `has ${String(err.details?.tokens)} tokens, over the limit of ${String(err.details?.limit)} (use --truncate)` : err.message;
    throw new EmbedlineError(err.code, `${flags.input}:${line}: text ${reason}`, { details: { ...err.details, line } });
  }
}

export async function runEmbedCommand(flags: EmbedFlags): Promise<void> {
  const texts = readTextLines(flags.input);
  const embedder = await embedderFromFlags(flags);
  const pooling = poolingFlag(flags);
  const prompt = promptFromFlags(embedder, flags);
  const out = new AtomicFileWriter(flags.output);
  try {
    for (let start = 0; start < texts.length; start += GROUP_SIZE) {
      const group = texts.slice(start, start + GROUP_SIZE);
      const result = await embedTextsNamingLines(embedder, group, start, flags, { pooling, prompt });
      const lines = result.vectors.map((v, i) => JSON.stringify({ vector: Array.from(v), tokens: result.tokens[i] }));
      await out.write(lines.join('\n') + '\n');
    }
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
  process.stderr.write(`embedded ${texts.length} texts → ${flags.output}\n`);

}
