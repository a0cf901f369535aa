// The prompt flags: --query-prompt and --document-prompt override the prompts the model's
// config_sentence_transformers.json declares (src/embed/prompts.ts); an empty value turns a prompt
// off. A collection records both, so they matter where vectors are made: ingest and reindex take
// both, search takes --query-prompt only to check it against the collection's, eval takes both.
import type { Command } from 'commander';
import { promptOverrides, type PromptPair } from '../embed/prompts.ts';

export interface PromptFlags {
  queryPrompt?: string;
  documentPrompt?: string;
}

export function addPromptOptions(command: Command, sides: { query?: boolean; document?: boolean } = { query: true, document: true }): Command {
  if (sides.query) command.option('--query-prompt <text>', 'put before every query instead of the model\'s query prompt (config_sentence_transformers.json); "" for none');
  if (sides.document) command.option('--document-prompt <text>', 'put before every chunk instead of the model\'s document/passage prompt; "" for none');
  return command;
}

/** The prompts the flags override; an unset flag leaves the model's own. */
export function promptFlags(flags: PromptFlags): Partial<PromptPair> {
  return promptOverrides(flags);
}
