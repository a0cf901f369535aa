// The prompts a model was trained with: sentence-transformers' config_sentence_transformers.json
// names them (`prompts`: name -> text put before the input, `default_prompt_name`), e.g. E5's
// {"query": "query: ", "passage": "passage: "} or BGE's query instruction. A query gets the prompt
// named "query"; a document (a chunk) the one named "document", "passage" or "corpus"; either side
// without its own prompt gets the default one, if the model names one, as sentence-transformers'
// encode() does when no prompt is asked for. No file, no prompts: "" on both sides.
import { EmbedlineError } from '../errors.ts';

export interface ModelPrompts {
  /** Prompt texts by name, as the model's config declares them. */
  prompts: Record<string, string>;
  /** The prompt sentence-transformers applies when none is asked for. */
  defaultPromptName?: string;
}

/** The prompts one collection's texts are embedded with ("" for none). */
export interface PromptPair {
  query: string;
  document: string;
}

export const NO_PROMPTS: PromptPair = { query: '', document: '' };

/** Names sentence-transformers models use for the document side, in the order they are looked for. */
export const DOCUMENT_PROMPT_NAMES = ['document', 'passage', 'corpus'] as const;
export const QUERY_PROMPT_NAMES = ['query'] as const;

/** Reads the `prompts` and `default_prompt_name` of a config_sentence_transformers.json (absent: none). */
export function promptsFromConfig(config: unknown, file: string): ModelPrompts {
  if (config === undefined || config === null) return { prompts: {} };
  const { prompts = {}, default_prompt_name: defaultName } = config as { prompts?: unknown; default_prompt_name?: unknown };
  if (typeof prompts !== 'object' || prompts === null || Array.isArray(prompts)) {
    throw new EmbedlineError('MODEL_INVALID', `${file}: "prompts" must be an object of name -> text`);
  }
  for (const [name, text] of Object.entries(prompts)) {
    if (typeof text !== 'string') throw new EmbedlineError('MODEL_INVALID', `${file}: prompt "${name}" must be a string`);
  }
  if (defaultName !== undefined && defaultName !== null) {
    if (typeof defaultName !== 'string' || !(defaultName in prompts)) {
      throw new EmbedlineError('MODEL_INVALID', `${file}: default_prompt_name ${JSON.stringify(defaultName)} is not one of its prompts (${Object.keys(prompts).join(', ') || 'none'})`);
    }
    return { prompts: prompts as Record<string, string>, defaultPromptName: defaultName };
  }
  return { prompts: prompts as Record<string, string> };
}

function firstNamed(model: ModelPrompts, names: readonly string[]): string {
  const name = names.find((n) => n in model.prompts) ?? model.defaultPromptName;
  return name === undefined ? '' : model.prompts[name];
}

/** The model's own query and document prompts, each overridden when given (an empty override: no prompt). */
export function resolvePrompts(model: ModelPrompts, overrides: Partial<PromptPair> = {}): PromptPair {
  return {
    query: overrides.query ?? firstNamed(model, QUERY_PROMPT_NAMES),
    document: overrides.document ?? firstNamed(model, DOCUMENT_PROMPT_NAMES),
  };
}

/** The prompts options or flags named queryPrompt / documentPrompt override; an unset one leaves the model's own. */
export function promptOverrides(given: { queryPrompt?: string; documentPrompt?: string }): Partial<PromptPair> {
  return {
    ...(given.queryPrompt === undefined ? {} : { query: given.queryPrompt }),
    ...(given.documentPrompt === undefined ? {} : { document: given.documentPrompt }),
  };
}

/** What sentence-transformers' encode() puts before a text when no prompt is asked for: the default prompt, or none. */
export function defaultPrompt(model: ModelPrompts): string {
  return model.defaultPromptName === undefined ? '' : model.prompts[model.defaultPromptName];
}

/** The text of a prompt asked for by name (TEI's `prompt_name`); an unknown name is a one-line BAD_REQUEST naming it. */
export function promptByName(model: ModelPrompts, name: string, modelName: string): string {
  if (Object.hasOwn(model.prompts, name)) return model.prompts[name];
  const known = Object.keys(model.prompts);
  throw new EmbedlineError('BAD_REQUEST', `prompt_name "${name}" is not a prompt of model ${modelName} (${known.length > 0 ? `its prompts: ${known.join(', ')}` : 'it declares no prompts'})`, {
    details: { prompt_name: name },
  });
}
