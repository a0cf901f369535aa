// Collections are versioned behind an alias so that re-embedding can build a new version while
// searches keep reading the old one, then switch in one step: `docs` → `docs__v1`, `docs__v2`, …

const VERSION = /^(.+)__v(\d+)$/;

export function versionName(collection: string, version: number): string {
  return `${collection}__v${version}`;
}

/** The version number of a physical name of `collection`, or undefined if it is not one. */
export function versionOf(collection: string, physical: string): number | undefined {
  const match = VERSION.exec(physical);
  return match && match[1] === collection ? Number(match[2]) : undefined;
}

/** The logical collection a physical version belongs to (`docs__v3` → `docs`). */
export function baseName(physical: string): string | undefined {
  return VERSION.exec(physical)?.[1];
}

/** Versions of `collection` among `physicalNames`, oldest first. */
export function versionsAmong(collection: string, physicalNames: readonly string[]): string[] {
  return physicalNames
    .map((name) => ({ name, version: versionOf(collection, name) }))
    .filter((v): v is { name: string; version: number } => v.version !== undefined)
    .sort((a, b) => a.version - b.version)
    .map((v) => v.name);
}

export function nextVersionName(collection: string, physicalNames: readonly string[]): string {
  const latest = Math.max(0, ...versionsAmong(collection, physicalNames).map((n) => versionOf(collection, n)!));
  return versionName(collection, latest + 1);
}
