#!/usr/bin/env node
// Checks responses against openapi.yaml: a long-lived process the integration tests start once.
//
// stdin, one JSON object per line:
//   {"method":"GET","path":"/v1/events","status":200,"contentType":"application/x-ndjson",
//    "body":"...","headers":{"X-Request-Id":"..."}}
// `path` is the route template or a concrete path (a query string is ignored); `headers` is
// optional (when given, every header the response documents as required must be there and match).
// stdout, one line per request: {"ok":true} or {"ok":false,"errors":["..."]}.
//
// Rules: the status must be documented for that operation (or, for a path the spec does not have,
// 404 with NotFound; for a method the path does not have, 405 with MethodNotAllowed); the content
// type must be one the response documents; the body must match its schema, and for
// application/x-ndjson every line must match it.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const specPath = process.argv[2] ?? path.join(here, '..', '..', 'openapi.yaml');
const spec = YAML.parse(readFileSync(specPath, 'utf8'));
const BASE = 'https://silo.invalid/openapi.json';

// The whole document is registered as one schema so that every $ref inside it resolves; only the
// subschemas that responses point at are ever compiled.
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
for (const keyword of ['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components']) ajv.addKeyword(keyword);
ajv.addSchema({ $id: BASE, ...Object.fromEntries(Object.entries(spec).filter(([k]) => !k.startsWith('x-'))) });

const escape = (token) => encodeURIComponent(String(token).replaceAll('~', '~0').replaceAll('/', '~1'));
const validators = new Map();
function validatorAt(pointer) {
  if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: `${BASE}#${pointer}` }));
  return validators.get(pointer);
}

// Follows $ref for non-schema objects (responses, headers), keeping the pointer of the target.
function resolve(node, pointer) {
  for (let hops = 0; node && node.$ref && hops < 10; ++hops) {
    pointer = node.$ref.slice(1);
    node = pointer.split('/').slice(1).reduce((n, t) => n?.[t.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
  }
  return { node, pointer };
}

function findPathTemplate(requestPath) {
  const bare = requestPath.split('?')[0];
  if (spec.paths[bare]) return bare;
  return Object.keys(spec.paths).find((template) => {
    const pattern = '^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$';
    return new RegExp(pattern).test(bare);
  });
}

function documentedResponse(method, requestPath, status) {
  const template = findPathTemplate(requestPath);
  const unmatched = spec['x-silo-unmatched-route-responses'];
  if (!template) {
    if (status !== 404) return { error: `${requestPath} is not in the API, so it must be answered 404, not ${status}` };
    return resolve(unmatched.unknownPath, '/x-silo-unmatched-route-responses/unknownPath');
  }
  const verb = method.toLowerCase();
  const operation = spec.paths[template][verb];
  if (!operation) {
    if (status !== 405) return { error: `${method} ${template} is not in the API, so it must be answered 405, not ${status}` };
    return resolve(unmatched.methodNotAllowed, '/x-silo-unmatched-route-responses/methodNotAllowed');
  }
  const base = `/paths/${escape(template)}/${verb}/responses`;
  const key = operation.responses[String(status)] ? String(status) : operation.responses.default ? 'default' : null;
  if (!key) return { error: `status ${status} is not documented for ${method} ${template}` };
  return resolve(operation.responses[key], `${base}/${key}`);
}

function schemaErrors(validate, value, what) {
  if (validate(value)) return [];
  return validate.errors.map((e) => `${what}${e.instancePath || ''}: ${e.message} ${JSON.stringify(e.params)}`);
}

function checkHeaders(response, pointer, headers) {
  if (!headers) return [];
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const errors = [];
  for (const [name, declared] of Object.entries(response.headers ?? {})) {
    const { node, pointer: headerPointer } = resolve(declared, `${pointer}/headers/${escape(name)}`);
    const value = lower[name.toLowerCase()];
    if (value === undefined) {
      if (node.required) errors.push(`required header ${name} is missing`);
      continue;
    }
    errors.push(...schemaErrors(validatorAt(`${headerPointer}/schema`), value, `header ${name}`));
  }
  return errors;
}

function parseJson(text, what) {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `${what} is not JSON: ${e.message}` };
  }
}

function checkBody(response, pointer, contentType, body) {
  if (!response.content) return body ? ['the response documents no body, but one was sent'] : [];
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!response.content[mediaType]) {
    return [`content type "${contentType}" is not one of ${Object.keys(response.content).join(', ')}`];
  }
  const validate = validatorAt(`${pointer}/content/${escape(mediaType)}/schema`);
  if (mediaType === 'application/json') {
    const parsed = parseJson(body, 'body');
    return parsed.error ? [parsed.error] : schemaErrors(validate, parsed.value, 'body');
  }
  if (mediaType === 'application/x-ndjson') {
    if (body !== '' && !body.endsWith('\n')) return ['an NDJSON body must end with a newline'];
    return body.split('\n').filter((line) => line !== '').flatMap((line, i) => {
      const parsed = parseJson(line, `line ${i + 1}`);
      return parsed.error ? [parsed.error] : schemaErrors(validate, parsed.value, `line ${i + 1}`);
    });
  }
  return schemaErrors(validate, body, 'body');
}

function check(request) {
  for (const field of ['method', 'path', 'status']) {
    if (request[field] === undefined) return [`the request to validate has no "${field}"`];
  }
  const found = documentedResponse(request.method, request.path, Number(request.status));
  if (found.error) return [found.error];
  return [
    ...checkHeaders(found.node, found.pointer, request.headers),
    ...checkBody(found.node, found.pointer, request.contentType, request.body ?? ''),
  ];
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  let errors;
  try {
    errors = check(JSON.parse(line));
  } catch (e) {
    errors = [`validator failure: ${e.message}`];
  }
  process.stdout.write(JSON.stringify(errors.length ? { ok: false, errors } : { ok: true }) + '\n');
}
