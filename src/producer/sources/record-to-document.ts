// Turns one record of a tabular source (a CSV row, a JSONL object) into a document or a reject,
// with the same rules for both: text fields present, strings and not blank; the id present and
// unique within the source; metadata values kept as scalars.
import { basename } from 'node:path';
import type { Metadata, MetadataValue } from '../../contracts/chunk.ts';
import { blankness, blanknessReason } from '../../contracts/blank-text.ts';
import { describeValue } from '../../contracts/value-kind.ts';
import { defaultDocumentId, TEXT_FIELD_SEPARATOR, type FieldSelection } from './field-selection.ts';
import { rejectItem, type SourceItem } from './source-item.ts';

export type FieldValue = { state: 'present'; value: unknown } | { state: 'missing' } | { state: 'invalid'; reason: string };

/** A reason the record is rejected; returned rather than thrown, since bad rows are expected. */
class Problem {
  constructor(readonly reason: string) {}
}

export class RecordToDocument {
  private readonly source: string;
  private readonly fileName: string;
  private readonly selection: FieldSelection;
  /** "column" for CSV, "field" for JSONL: the word the user used for what they named. */
  private readonly noun: string;
  /** Id → line of its first document. Memory grows with the number of ids: a Map is the honest cost of the check. */
  private readonly firstLineOfId = new Map<string, number>();

  constructor(source: string, selection: FieldSelection, noun: 'column' | 'field') {
    this.source = source;
    this.fileName = basename(source);
    this.selection = selection;
    this.noun = noun;
  }

  /** `rawText` gives the record's text for a reject's excerpt; only called when rejecting. */
  toItem(line: number, read: (name: string) => FieldValue, rawText: () => string): SourceItem {
    const id = this.readId(line, read);
    const text = this.readText(read);
    const metadata = this.readMetadata(read);
    const problem = [id, text, metadata].find((part) => part instanceof Problem);
    if (problem) return rejectItem(this.source, line, problem.reason, rawText());
    const documentId = id as string;
    // Ids made from line numbers cannot repeat: only ids read from the record are tracked.
    if (this.selection.idField !== undefined) {
      const firstLine = this.firstLineOfId.get(documentId);
      if (firstLine !== undefined) {
        return rejectItem(this.source, line, `duplicate id ${JSON.stringify(documentId)} (first at line ${firstLine})`, rawText());
      }
      this.firstLineOfId.set(documentId, line);
    }
    return { kind: 'document', id: documentId, text: text as string, metadata: metadata as Metadata, source: this.source, line };
  }

  private name(field: string): string {
    return `${this.noun} ${JSON.stringify(field)}`;
  }

  private readId(line: number, read: (name: string) => FieldValue): string | Problem {
    const field = this.selection.idField;
    if (field === undefined) return defaultDocumentId(this.fileName, line);
    const value = read(field);
    if (value.state === 'invalid') return new Problem(value.reason);
    if (value.state === 'missing') return new Problem(`missing id ${this.name(field)}`);
    if (typeof value.value === 'number' && Number.isFinite(value.value)) return String(value.value);
    if (typeof value.value !== 'string') return new Problem(`id ${this.name(field)} is ${describeValue(value.value)}, not a string or number`);
    const id = value.value.trim();
    return id === '' ? new Problem(`empty id in ${this.name(field)}`) : id;
  }

  private readText(read: (name: string) => FieldValue): string | Problem {
    const parts: string[] = [];
    for (const field of this.selection.textFields) {
      const value = read(field);
      if (value.state === 'invalid') return new Problem(value.reason);
      if (value.state === 'missing') return new Problem(`missing text ${this.name(field)}`);
      if (typeof value.value !== 'string') return new Problem(`text ${this.name(field)} is ${describeValue(value.value)}, not a string`);
      parts.push(value.value);
    }
    const kept = parts.filter((part) => blankness(part) === undefined).map((part) => part.trim());
    if (kept.length > 0) return kept.join(TEXT_FIELD_SEPARATOR);
    const where = this.selection.textFields.map((field) => this.name(field)).join(', ');
    const kinds = parts.map(blankness);
    if (kinds.every((kind) => kind === 'empty')) return new Problem(`empty text (${where})`);
    return new Problem(`text is ${blanknessReason(kinds.includes('control') ? 'control' : 'whitespace')} (${where})`);
  }

  private readMetadata(read: (name: string) => FieldValue): Metadata | Problem {
    const metadata: Metadata = {};
    for (const field of this.selection.metadataFields ?? []) {
      const value = read(field);
      if (value.state === 'invalid') return new Problem(value.reason);
      // A record without an optional field gets null, so every document has the same keys.
      const kept = value.state === 'missing' ? null : toMetadataValue(value.value);
      if (kept instanceof Problem) return new Problem(`metadata ${this.name(field)} ${kept.reason}`);
      metadata[field] = kept;
    }
    return metadata;
  }
}

/**
 * Scalars are kept as they are; nested JSON is kept as its JSON text rather than dropped. JSON
 * nested thousands of levels deep parses (V8's parser does not recurse) but cannot be written
 * back (JSON.stringify does, and runs out of stack): that record is a reject, not the run's end.
 */
function toMetadataValue(value: unknown): MetadataValue | Problem {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  try {
    return JSON.stringify(value) ?? null;
  } catch (err) {
    if (err instanceof RangeError) return new Problem('is nested too deeply to keep as JSON text');
    throw err;
  }
}
