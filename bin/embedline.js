#!/usr/bin/env node
// The `embedline` command. From a checkout (src/ is there) it runs the TypeScript CLI through tsx,
// so `npx embedline` works straight after `npm ci`, with no build step that could go stale; the
// installed package ships no src/, only the JavaScript that `npm pack` compiled into dist/
// (scripts/build-package.mjs), and runs that.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
