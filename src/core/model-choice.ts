// Which model a run embeds with, as a plan names it (a folder and how to load it), and the loader
// the runs use unless their caller hands them another (the library passes an embedder it already
// loaded). The model loads only after the source has opened: a typo in a column fails in
// milliseconds, not after seconds of ONNX start-up.
import { loadEmbedder, type Embedder, type LoadOptions } from '../embed/embedder.ts';

export interface ModelChoice extends LoadOptions {
  /** The model folder, already resolved (flag, EMBEDLINE_MODEL or the shared default). */
  dir: string;
}

export type EmbedderFactory = (model: ModelChoice) => Promise<Embedder>;

export const loadChosenModel: EmbedderFactory = ({ dir, ...options }) => loadEmbedder(dir, options);
