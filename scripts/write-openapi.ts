import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from '../lambdas/api/openapi-document.ts';

/** `npm run openapi`: regenerates the committed openapi.json from the route table and zod schemas. */
const target = resolve(import.meta.dirname, '..', 'openapi.json');
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
