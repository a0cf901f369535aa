// The Hub's failures as one line each: what was asked, of which endpoint, and what to do. A
// missing or refused repository is MODEL_NOT_FOUND (nothing to retry); an unreachable or broken
// endpoint is MODEL_DOWNLOAD_FAILED, retryable.
import { HubApiError } from '@huggingface/hub';
import type { HubConfig } from '../config.ts';
import { EmbedlineError } from '../errors.ts';

/** Runs a Hub call, turning its errors into EmbedlineErrors; ours pass through. */
export async function hubError<T>(name: string, hub: HubConfig, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw hubFailure(name, hub, err);
  }
}

export function hubFailure(name: string, hub: HubConfig, err: unknown): EmbedlineError {
  if (err instanceof EmbedlineError) return err;
  const options = { cause: err, details: { model: name, endpoint: hub.endpoint } };
  if (err instanceof HubApiError) {
    const status = err.statusCode;
    if (status === 404 || status === 401 || status === 403) {
      const token = hub.token ? 'HF_TOKEN is set; check it has access' : 'a private or gated repository needs HF_TOKEN';
      return new EmbedlineError('MODEL_NOT_FOUND', `model ${name} not found on ${hub.endpoint} (HTTP ${status}): check the id and revision (${token})`, options);
    }
    return new EmbedlineError('MODEL_DOWNLOAD_FAILED', `${hub.endpoint} answered HTTP ${status} for ${name}; run the same command again later`, { ...options, retryable: true });
  }
  return new EmbedlineError(
    'MODEL_DOWNLOAD_FAILED',
    `cannot fetch ${name} from ${hub.endpoint} (${networkReason(err)}): check the network (HF_ENDPOINT for a mirror, HTTPS_PROXY with NODE_USE_ENV_PROXY=1 for a proxy), or work offline from a local copy (EMBEDLINE_MODELS_DIR, HF_HUB_OFFLINE=1)`,
    { ...options, retryable: true },
  );
}

/** `ECONNREFUSED`, `ENOTFOUND`…: the code under fetch's "fetch failed", else the message. */
export function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? err.message;
}
