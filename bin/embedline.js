#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx embedline` works straight after `npm ci`,
// with no separate build step that could go stale.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
