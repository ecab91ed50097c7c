// Validates rainmaker-node.asyncapi.yaml with the official AsyncAPI parser.
//
// Prints every diagnostic the parser reports (errors, warnings, hints) with its JSON
// path, and exits non-zero when there is an error or a warning. Usage:
// `node validate.mjs [path]` (default: the spec next to this script).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const here = dirname(fileURLToPath(import.meta.url));
const path = process.argv[2] ?? join(here, 'rainmaker-node.asyncapi.yaml');

const names = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

const text = await readFile(path, 'utf8');
const parser = new Parser();
const { document, diagnostics } = await parser.parse(text, { source: path });

let failures = 0;
for (const diagnostic of diagnostics) {
  const severity = names[diagnostic.severity] ?? `severity ${diagnostic.severity}`;
  const pointer = '#/' + (diagnostic.path ?? []).map((token) =>
    String(token).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
  const line = diagnostic.range ? `:${diagnostic.range.start.line + 1}` : '';
  console.log(`${severity}: ${path}${line} ${pointer}: ${diagnostic.message} [${diagnostic.code}]`);
  if (diagnostic.severity <= DiagnosticSeverity.Warning) {
    failures += 1;
  }
}

if (document === undefined) {
  console.log(`${path}: the parser could not build a document`);
  process.exit(1);
}
if (failures > 0) {
  console.log(`${path}: ${failures} error(s) or warning(s)`);
  process.exit(1);
}
const version = document.version();
const operations = document.operations().length;
const channels = document.channels().length;
const messages = document.components().messages().length;
console.log(
  `${path}: valid AsyncAPI ${version} (${channels} channels, ${operations} operations, ${messages} messages)`,
);
