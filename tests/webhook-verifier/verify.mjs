// Verifies Orleans.Segments webhook signatures the way a receiver written in Node would, independently of the
// server's C# code: HMAC-SHA256 keyed with the secret over "<t>." followed by the raw body, compared in constant
// time with the v1 value of the Segments-Signature header ("t=<unix seconds>,v1=<hex>").
//
// Usage: node verify.mjs <secret> <requests.json>
// requests.json: [{"signature": "<header value>", "body": "<raw body, base64>"}, ...]
// Prints one JSON array of booleans (one per request) and exits 0.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [, , secret, file] = process.argv;
if (!secret || !file) {
  console.error('usage: node verify.mjs <secret> <requests.json>');
  process.exit(2);
}

function verify(signature, body) {
  const fields = {};
  for (const part of String(signature ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (!/^\d+$/.test(fields.t ?? '') || !/^[0-9a-f]{64}$/.test(fields.v1 ?? '')) return false;
  const expected = createHmac('sha256', secret).update(`${fields.t}.`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(fields.v1, 'hex'));
}

const requests = JSON.parse(readFileSync(file, 'utf8'));
console.log(JSON.stringify(requests.map(r => verify(r.signature, Buffer.from(r.body, 'base64')))));
