import { spawn } from 'node:child_process';

/** What @seriousme/openapi-schema-validator says of a document: valid, or its errors. */
export interface OpenApiValidity {
  valid: boolean;
  errors?: unknown;
}

// The validator is ESM only (import.meta): it runs in a child Node, not in Jest's CommonJS runtime.
const SCRIPT = `
import { Validator } from '@seriousme/openapi-schema-validator';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const result = await new Validator().validate(JSON.parse(input));
process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));
`;

/** Checks a document against the official OpenAPI 3.x JSON schemas. */
export function openApiValidity(document: unknown): Promise<OpenApiValidity> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the OpenAPI validator exited with ${code}: ${err}`));
      resolve(JSON.parse(out) as OpenApiValidity);
    });
    child.stdin.end(JSON.stringify(document));
  });
}
