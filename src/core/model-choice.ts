// Which model a run embeds with, as a plan names it (a folder or a Hub id, where to find Hub
// models, and how to load it), and the loader the runs use unless their caller hands them another
// (the library passes an embedder it already loaded). The model loads only after the source has
// opened: a typo in a column fails in milliseconds, not after seconds of ONNX start-up (or a download).
import type { HubConfig } from '../config.ts';
import type { Embedder, LoadOptions } from '../embed/embedder.ts';
import type { DownloadProgress } from '../hub/fetch-model.ts';
import { loadModel } from '../hub/resolve-model.ts';

export interface ModelChoice extends LoadOptions {
  /** A model folder or a Hub id `org/name[@revision]`; undefined: the default model. */
  name?: string;
  /** Local models folders, the cache, the Hub (from the environment: config.hub). */
  hub: HubConfig;
  /** How a first-use download shows its progress; default: log lines. */
  onDownload?: (progress: DownloadProgress) => void;
}

export type EmbedderFactory = (model: ModelChoice) => Promise<Embedder>;

export const loadChosenModel: EmbedderFactory = ({ name, hub, onDownload, ...options }) => loadModel(name, hub, { ...options, onProgress: onDownload });
