#!/usr/bin/env node
// Entry of `npx halfopen`: registers tsx so the TypeScript sources run with no build step.
import { register } from 'tsx/esm/api';
register();
await import('./main.ts');
