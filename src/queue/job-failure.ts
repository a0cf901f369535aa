// How a job that failed for good says why. BullMQ keeps only a text (the job's failedReason), so
// the worker writes an embedline error as `CODE: message`, and whoever waited for the job reads the
// code back from it: `embedline jobs failed` shows the same text, and an ingest fails with the
// job's own code instead of a guessed one.
import { isErrorCode, type EmbedlineError, type ErrorCode } from '../errors.ts';

export function failureReason(err: EmbedlineError): string {
  return `${err.code}: ${err.message}`;
}

/** The code a failed job's reason starts with; undefined for an error that carried none (a bug). */
export function failureCode(reason: string | undefined): ErrorCode | undefined {
  const code = /^([A-Z][A-Z_]*): /.exec(reason ?? '')?.[1];
  return code !== undefined && isErrorCode(code) ? code : undefined;
}
