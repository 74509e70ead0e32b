// Lints Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support), offline.
//
// stdin (JSON):
//   {
//     "statements":        {"name": "cypher text", ...},
//     "parameters":        {"name": ["param", ...], ...},   // $params each statement uses (declared, so not reported)
//     "labels":            ["Actor", ...],                   // optional; label / rel-type warnings need both lists
//     "relationshipTypes": ["MENTIONS", ...],                // optional
//     "propertyKeys":      ["id", ...],                      // optional; enables unknown-property warnings
//     "cypherVersion":     "CYPHER 5",                       // optional; default "CYPHER 5" (Neo4j 5)
//     "catalogue":         true                              // optional; default true, see below
//   }
// stdout (JSON):
//   {"name": [{"severity": "error"|"warning"|"information"|"hint", "message": "...",
//              "line": 1-based, "column": 1-based, "deprecated": bool, "source": "..."}, ...], ...}
//
// Severity is the package's own (LSP DiagnosticSeverity 1=Error, 2=Warning, 3=Information, 4=Hint).
//
// "catalogue": the package only checks function and procedure names/signatures against a catalogue passed
// in the DbSchema. With catalogue=true we pass the one the package ships (testData.mockSchema: the function
// and procedure listing of a Neo4j 5 server with APOC and GDS installed), so `distance()` (removed in 5),
// misspelt functions and wrong argument counts are errors. catalogue=false skips those checks.
//
// One extra check is ours, not the package's (source "cypher-lint"): a string holding more than one
// statement is an error, since the driver runs one statement per call.

import { lintCypherQuery, parseStatementsStrs, testData } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const DEPRECATED_TAG = 2; // LSP DiagnosticTag.Deprecated

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function stringList(value, what) {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`"${what}" must be a list of strings`);
  }
  return value;
}

function convert(diagnostic) {
  const severity = SEVERITY[diagnostic.severity] ?? `unknown(${diagnostic.severity})`;
  return {
    severity,
    message: diagnostic.message,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    deprecated: Array.isArray(diagnostic.tags) && diagnostic.tags.includes(DEPRECATED_TAG),
    source: 'neo4j-cypher',
  };
}

function main(input) {
  const statements = input.statements;
  if (!statements || typeof statements !== 'object' || Array.isArray(statements)) {
    throw new Error('"statements" must be an object of name -> Cypher text');
  }
  const parameters = input.parameters ?? {};
  const base = { defaultLanguage: input.cypherVersion ?? 'CYPHER 5' };
  const labels = stringList(input.labels, 'labels');
  const relationshipTypes = stringList(input.relationshipTypes, 'relationshipTypes');
  const propertyKeys = stringList(input.propertyKeys, 'propertyKeys');
  if (labels) base.labels = labels;
  if (relationshipTypes) base.relationshipTypes = relationshipTypes;
  if (propertyKeys) base.propertyKeys = propertyKeys;
  if (input.catalogue ?? true) {
    base.functions = testData.mockSchema.functions;
    base.procedures = testData.mockSchema.procedures;
  }

  const out = {};
  for (const [name, query] of Object.entries(statements)) {
    if (typeof query !== 'string') throw new Error(`statement ${name}: not a string`);
    const params = stringList(parameters[name] ?? [], `parameters.${name}`);
    // Any value but undefined declares the parameter; null = "value unknown".
    const dbSchema = { ...base, parameters: Object.fromEntries(params.map((p) => [p, null])) };
    let diagnostics;
    try {
      diagnostics = lintCypherQuery(query, dbSchema, { consoleCommandsEnabled: false }).diagnostics.map(convert);
    } catch (err) {
      diagnostics = [
        { severity: 'error', message: `linter crashed: ${err?.stack ?? err}`, line: 1, column: 1, deprecated: false, source: 'cypher-lint' },
      ];
    }
    const count = parseStatementsStrs(query).length;
    if (count > 1) {
      diagnostics.push({
        severity: 'error',
        message: `${count} statements in one string; the driver runs one statement per call`,
        line: 1,
        column: 1,
        deprecated: false,
        source: 'cypher-lint',
      });
    }
    out[name] = diagnostics;
  }
  return out;
}

try {
  const input = JSON.parse(await readStdin());
  process.stdout.write(JSON.stringify(main(input)) + '\n');
} catch (err) {
  process.stderr.write(`cypher-lint: ${err?.stack ?? err}\n`);
  process.exitCode = 2;
}
