// Validates an AsyncAPI document the way `asyncapi validate` (the AsyncAPI CLI) does: the
// AsyncAPI parser with its default rulesets (core and recommended), references followed into
// the schema files. Prints every diagnostic, errors and governance notes alike (warning,
// information, hint), one per line, then `diagnostics=N`; exits 1 when there is any, 0 when
// there is none, 2 on bad use.
//
//     NODE_PATH=terminal/target/doc-tools/node_modules node docs/tools/check-asyncapi.cjs docs/asyncapi.yaml
'use strict';
const path = require('path');
const { Parser, fromFile, DiagnosticSeverity } = require('@asyncapi/parser');

const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

async function main(file) {
  const diagnostics = await fromFile(new Parser(), path.resolve(file)).validate();
  for (const d of diagnostics) {
    const at = d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}` : '-';
    const where = d.path && d.path.length ? d.path.join('/') : '(root)';
    console.log(`${SEVERITY[d.severity] || d.severity} ${d.code} ${file}:${at} at ${where}: ${d.message}`);
  }
  console.log(`diagnostics=${diagnostics.length}`);
  return diagnostics.length === 0 ? 0 : 1;
}

if (process.argv.length !== 3) {
  console.error('usage: node check-asyncapi.cjs FILE');
  process.exit(2);
}
main(process.argv[2]).then(code => process.exit(code), e => {
  console.error(`check-asyncapi: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
