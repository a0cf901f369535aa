// docker-compose.yml loaded the way Compose loads it (YAML with merge keys, then ${VAR:-default}
// interpolation), and its exec-form health checks run on this machine: shared by the compose file's
// own test and the tests that run its commands for real (test/deploy/several-hosts.test.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';

const execFileP = promisify(execFile);

export const COMPOSE_FILE = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

export type Env = Record<string, string | undefined>;
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ServiceDoc = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  container_name?: string;
  environment?: Record<string, string> | string[];
  volumes?: unknown[];
  ports?: unknown[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  profiles?: string[];
};
export type ComposeDoc = { services: Record<string, ServiceDoc> } & Record<string, unknown>;

/** Compose interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}. */
function interpolate(text: string, env: Env): string {
  return text.replace(
    /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_all, dollar: string, name?: string, op?: string, arg?: string, bare?: string) => {
      if (dollar === '$') return '$';
      const key = (name ?? bare) as string;
      const value = env[key];
      const unsetOrEmpty = value === undefined || value === '';
      switch (op) {
        case ':-':
          return unsetOrEmpty ? interpolate(arg ?? '', env) : (value as string);
        case '-':
          return value === undefined ? interpolate(arg ?? '', env) : value;
        case ':?':
          if (unsetOrEmpty) throw new Error(`required variable ${key}: ${arg}`);
          return value as string;
        case '?':
          if (value === undefined) throw new Error(`required variable ${key}: ${arg}`);
          return value;
        default:
          return value ?? '';
      }
    },
  );
}

function interpolateDeep(node: Json, env: Env): Json {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateDeep(item, env));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return node;
}

/** Parse (merge keys on, as Compose does) and interpolate with the given environment. */
export function loadCompose(text: string, env: Env = {}): ComposeDoc {
  const raw = parseYaml(text, { merge: true, prettyErrors: true }) as Json;
  return interpolateDeep(raw, env) as unknown as ComposeDoc;
}

export function asList(command: ServiceDoc['command']): string[] {
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.split(/\s+/);
}

/** Run an exec-form health check with its port (or path) rewritten; true when it exits 0. */
export async function runHealthcheck(testCmd: string[], fromPort: number | string, toPort: number | string): Promise<boolean> {
  assert.equal(testCmd[0], 'CMD', 'expected the exec form ["CMD", ...]');
  const [file, ...args] = testCmd.slice(1).map((part) => part.replaceAll(String(fromPort), String(toPort)));
  try {
    await execFileP(file, args, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
