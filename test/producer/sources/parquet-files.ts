// Parquet files written by the tests themselves (hyparquet-writer), so no binary fixture is kept:
// plain columns with their types guessed, or an explicit schema for lists, groups and timestamps.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';

type Columns = Parameters<typeof parquetWriteBuffer>[0]['columnData'];
type Schema = Parameters<typeof parquetWriteBuffer>[0]['schema'];

export function writeParquet(dir: string, name: string, columnData: Columns, options: { schema?: Schema; rowGroupSize?: number } = {}): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(parquetWriteBuffer({ columnData, ...options })));
  return path;
}

/** The byte range [start, end) of a row group's first column chunk: where to damage it. */
export function columnChunkBytes(file: Buffer, rowGroup: number): [number, number] {
  const meta = parquetMetadata(new Uint8Array(file)).row_groups[rowGroup]!.columns[0]!.meta_data!;
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  return [start, start + Number(meta.total_compressed_size)];
}
