// The metadata keys a collection's points carry, with their value type and (when there are few)
// their values: what the web page needs to offer filter inputs. The store keeps no schema of
// metadata keys, so they are read from a sample of stored chunks.
import type { FilterScalar } from '../contracts/filter.ts';
import type { VectorStore } from '../store/vector-store.ts';

export type MetadataFieldType = 'string' | 'number' | 'boolean' | 'mixed';

export interface MetadataField {
  name: string;
  /** Filters are type-strict (the number 2020 does not match "2020"), so a client must send this type. */
  type: MetadataFieldType;
  /** Distinct sampled values, sorted; empty when the field has more than MAX_VALUES of them (free text). */
  values: FilterScalar[];
  /** The field holds arrays (tags): a filter value matches a point whose array contains it. */
  list?: boolean;
  /** The smallest and largest sampled number, for a range input (number fields only). */
  min?: number;
  max?: number;
}

/** Chunks read per collection; enough for every key of a uniformly shaped corpus. */
export const SAMPLE_CHUNKS = 1000;
const MAX_VALUES = 50;

export async function sampleMetadataFields(store: VectorStore, collection: string, sampleSize = SAMPLE_CHUNKS): Promise<MetadataField[]> {
  const seen = new Map<string, { types: Set<string>; values: Set<FilterScalar>; overflow: boolean; list: boolean; min: number; max: number }>();
  let read = 0;
  for await (const chunk of store.chunks(collection)) {
    for (const [name, value] of Object.entries(chunk.metadata)) {
      if (value === null) continue;
      let field = seen.get(name);
      if (!field) seen.set(name, (field = { types: new Set(), values: new Set(), overflow: false, list: false, min: Infinity, max: -Infinity }));
      if (Array.isArray(value)) field.list = true;
      for (const item of Array.isArray(value) ? (value as FilterScalar[]) : [value]) {
        field.types.add(typeof item);
        if (typeof item === 'number') {
          field.min = Math.min(field.min, item);
          field.max = Math.max(field.max, item);
        }
        if (!field.overflow) field.values.add(item);
      }
      if (field.values.size > MAX_VALUES) {
        field.overflow = true;
        field.values.clear();
      }
    }
    if (++read >= sampleSize) break;
  }
  return [...seen.entries()]
    .map(([name, f]) => {
      const type = fieldType(f.types);
      return {
        name,
        type,
        values: [...f.values].sort(compareValues),
        ...(f.list ? { list: true } : {}),
        ...(type === 'number' ? { min: f.min, max: f.max } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function fieldType(types: Set<string>): MetadataFieldType {
  if (types.size !== 1) return 'mixed';
  return [...types][0] as Exclude<MetadataFieldType, 'mixed'>;
}

function compareValues(a: FilterScalar, b: FilterScalar): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}
