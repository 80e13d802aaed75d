import { z } from 'zod';

/**
 * Checks an HTTP answer against an OpenAPI 3.1 document as served (JSON, refs and all): the
 * (method, path, status) must be documented and the body must match its schema. Schemas are
 * turned back into zod with z.fromJSONSchema, so the check reads the document itself, not the
 * zod schemas it came from: a document that lies about a response fails here.
 */
export interface ObservedResponse {
  method: string;
  /** The request path as sent, e.g. /api/users/T1/U1?limit=2 (the query is ignored). */
  path: string;
  status: number;
  /** Parsed JSON, or undefined when the body was empty. */
  body: unknown;
  contentType?: string;
}

export interface OpenApiResponseValidator {
  /** What is wrong with the answer; empty when the document allows it. */
  check(response: ObservedResponse): string[];
  /** Every documented operation, as "GET /api/users/{teamId}/{userId}". */
  operations(): string[];
  /** The documented operation a request hits, or undefined. */
  operationOf(method: string, path: string): string | undefined;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

const mediaShape = z.looseObject({ schema: z.unknown().optional() });
const responseShape = z.looseObject({ content: z.record(z.string(), mediaShape).optional() });
const documentShape = z.looseObject({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()).optional() }).optional(),
});
const operationShape = z.looseObject({ responses: z.record(z.string(), responseShape) });

type Responses = z.infer<typeof operationShape>['responses'];

interface Operation {
  name: string;
  method: string;
  /** Template segments; null marks a {parameter}. */
  segments: Array<string | null>;
  responses: Responses;
}

/** OpenAPI keeps shared schemas under components; JSON Schema 2020-12 (and zod) under $defs. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' ? inner.replace('#/components/schemas/', '#/$defs/') : rewriteRefs(inner),
    ]),
  );
}

function segmentsOf(path: string): string[] {
  return path.split('?')[0]!.split('/').filter((s) => s !== '');
}

function compile(document: z.infer<typeof documentShape>): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const { responses } = operationShape.parse(raw);
      const segments = segmentsOf(template).map((s) => (/^\{.+\}$/.test(s) ? null : s));
      operations.push({ name: `${method.toUpperCase()} ${template}`, method, segments, responses });
    }
  }
  // Literal segments beat parameters, as routers resolve them.
  const literals = (op: Operation) => op.segments.filter((s) => s !== null).length;
  return operations.sort((a, b) => literals(b) - literals(a));
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`);
}

export function createOpenApiResponseValidator(document: unknown): OpenApiResponseValidator {
  const parsed = documentShape.parse(document);
  const defs = rewriteRefs(parsed.components?.schemas ?? {}) as Record<string, unknown>;
  const operations = compile(parsed);
  const schemas = new Map<unknown, z.ZodType>();

  function schemaFor(jsonSchema: unknown): z.ZodType {
    let schema = schemas.get(jsonSchema);
    if (!schema) {
      // fromJSONSchema's own type is zod's JSONSchema; the document's schema is checked by it at conversion.
      schema = z.fromJSONSchema({ ...(rewriteRefs(jsonSchema) as object), $defs: defs } as Parameters<typeof z.fromJSONSchema>[0]);
      schemas.set(jsonSchema, schema);
    }
    return schema;
  }

  function find(method: string, path: string): Operation | undefined {
    const actual = segmentsOf(path);
    return operations.find(
      (op) => op.method === method.toLowerCase() && op.segments.length === actual.length && op.segments.every((s, i) => s === null || s === actual[i]),
    );
  }

  return {
    operations: () => operations.map((op) => op.name),
    operationOf: (method, path) => find(method, path)?.name,
    check({ method, path, status, body, contentType }) {
      const op = find(method, path);
      if (!op) return [`${method.toUpperCase()} ${segmentsOf(path).join('/')} is not in the document`];
      const response = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
      if (!response) return [`${op.name}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`];
      const json = response.content?.['application/json'];
      if (!json) return body === undefined ? [] : [`${op.name} ${status}: documented without a body, but one was sent`];
      if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) return [`${op.name} ${status}: content type ${contentType}, not JSON`];
      if (json.schema === undefined) return [];
      const result = schemaFor(json.schema).safeParse(body);
      return result.success ? [] : describeIssues(result.error).map((issue) => `${op.name} ${status}: ${issue}`);
    },
  };
}
