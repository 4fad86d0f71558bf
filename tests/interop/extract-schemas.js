// Regenerates src/BmwWallbox.Ocpp/Schemas/ocpp2_0_1.json from the official OCPP 2.0.1 JSON
// schemas shipped by ocpp-rpc (MIT). Only the keywords our validator uses are kept, so the
// embedded file stays small. Run: node tests/interop/extract-schemas.js
'use strict';
const fs = require('fs');
const path = require('path');

const source = require.resolve('ocpp-rpc/lib/schemas/ocpp2_0_1.json', { paths: [__dirname] });
const target = path.join(__dirname, '..', '..', 'src', 'BmwWallbox.Ocpp', 'Schemas', 'ocpp2_0_1.json');
const dropped = new Set(['description', '$schema', 'default', 'comment', 'javaType']);

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    // "properties"/"definitions" hold names, not keywords: never drop a property called "description".
    if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]));
    } else if (!dropped.has(key)) {
      out[key] = strip(value);
    }
  }
  return out;
}

const schemas = JSON.parse(fs.readFileSync(source, 'utf8')).map(strip);
fs.writeFileSync(target, JSON.stringify(schemas) + '\n');
console.log(`wrote ${schemas.length} schemas to ${path.relative(process.cwd(), target)}`);
