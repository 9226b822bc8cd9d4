#!/usr/bin/env node
// `halfopen` run straight from the TypeScript sources (tsx), with no build: what the tests
// compare the built command (bin.mjs → lib/halfopen.mjs) with. Not part of the package.
import { register } from 'tsx/esm/api';
register();
await import('./main.ts');
