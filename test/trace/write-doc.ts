// Writes sim/trace/README.md from sim/trace/schema.ts: `npx tsx test/trace/write-doc.ts`.
import { writeFileSync } from 'node:fs';
import { renderTraceDoc } from '../../sim/trace/doc.ts';

const path = new URL('../../sim/trace/README.md', import.meta.url);
writeFileSync(path, renderTraceDoc());
console.log(`wrote ${path.pathname}`);
