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

/** A cell of a number column that is not a number: a reject naming the column and the text. */
class NotANumber {
  constructor(readonly text: string) {}
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

  /** A field declared a list (split at its separator) or a number (parsed), as the selection says. */
  private declared(field: string, value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const separator = this.selection.listFields?.[field];
    if (separator !== undefined) return splitListCell(value, separator);
    if (this.selection.numberFields?.includes(field)) {
      if (value.trim() === '') return null; // an empty cell: no value, as a missing field
      const number = Number(value);
      return Number.isFinite(number) ? number : new NotANumber(value);
    }
    return value;
  }

  private readMetadata(read: (name: string) => FieldValue): Metadata | Problem {
    const metadata: Metadata = {};
    for (const field of this.selection.metadataFields ?? []) {
      const value = read(field);
      if (value.state === 'invalid') return new Problem(value.reason);
      // A record without an optional field gets null, so every document has the same keys.
      const declared = value.state === 'missing' ? null : this.declared(field, value.value);
      if (declared instanceof NotANumber) return new Problem(`metadata ${this.name(field)} is declared a number but holds ${JSON.stringify(declared.text)}`);
      const kept = toMetadataValue(declared);
      if (kept instanceof Problem) return new Problem(`metadata ${this.name(field)} ${kept.reason}`);
      metadata[field] = kept;
    }
    return metadata;
  }
}

/**
 * Scalars are kept as they are, and arrays of one scalar type (keyword arrays like tags) as arrays:
 * a filter on them means "contains". Anything else (objects, arrays of arrays, mixed or null
 * elements) would have to be stringified, and a filter on the text silently matches nothing: the
 * record is a reject naming the field instead.
 */
function toMetadataValue(value: unknown): MetadataValue | Problem {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return toMetadataArray(value);
  return new Problem(`is ${describeValue(value)}: nested objects are not kept as metadata (give scalars or an array of one scalar type)`);
}

function toMetadataArray(items: unknown[]): MetadataValue | Problem {
  const kinds = new Set(items.map((item) => (typeof item === 'number' && !Number.isFinite(item) ? 'a non-finite number' : describeValue(item))));
  const [kind] = kinds;
  const scalar = kind === 'a string' || kind === 'a number' || kind === 'a boolean';
  if (kinds.size > 1 || (kind !== undefined && !scalar)) {
    return new Problem(`is an array of ${[...kinds].join(' and ')}: only arrays of one scalar type (strings, numbers or booleans) are kept as metadata`);
  }
  return items as string[] | number[] | boolean[];
}

/** A CSV cell of a list column: its items between the separator, trimmed, blanks left out. */
export function splitListCell(cell: string, separator: string): string[] {
  return cell
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
