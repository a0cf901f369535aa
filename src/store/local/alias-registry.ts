// The embedded store's aliases: one small JSON file mapping collection name → physical table,
// replaced atomically (write then rename) so a reader sees the old or the new mapping, never half.
// It is read on every operation (a few microseconds) so that a switch made by `embedline reindex`
// in another process is seen by the next query.
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class AliasRegistry {
  private readonly path: string;

  constructor(private readonly dataDir: string) {
    this.path = join(dataDir, 'aliases.json');
  }

  all(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  }

  target(alias: string): string | undefined {
    return this.all()[alias];
  }

  /** Points `alias` at `target` (or removes it when target is undefined); returns the previous target. */
  set(alias: string, target: string | undefined): string | undefined {
    const aliases = this.all();
    const previous = aliases[alias];
    if (target === undefined) delete aliases[alias];
    else aliases[alias] = target;
    mkdirSync(this.dataDir, { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(aliases, null, 2));
    renameSync(temp, this.path);
    return previous;
  }
}
