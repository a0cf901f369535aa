// Reads an evaluation input file (STS pairs, relevance queries) whole; an unreadable file is an
// INPUT_INVALID error naming it, not a stack trace.
import { readFileSync } from 'node:fs';
import { EmbedlineError } from '../errors.ts';

export function readEvalFile(path: string, kind: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new EmbedlineError('INPUT_INVALID', `cannot read ${kind} file ${path}: ${(err as Error).message}`, { cause: err });
  }
}
