#!/usr/bin/env node
// Reads docker-compose.yml as Compose would (YAML merge keys, ${VAR}, ${VAR:-default}, ${VAR:?error}, $$) and
// writes what replicas-smoke.sh needs to run the services without a container engine, into the directory given:
// <service>.env (KEY=VALUE, NUL-separated), <service>.command and <service>.entrypoint (arguments, NUL-
// separated) and <service>.mounts (container path, then host path, NUL-separated).
// Usage: node docker/compose-pieces.js docker/docker-compose.yml <out-dir>     (needs the repository's js-yaml)
'use strict';
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
const yaml = require('js-yaml');

const [file, out] = process.argv.slice(2);
const base = dirname(resolve(file));

/** YAML merge keys (`<<:`), which this js-yaml leaves as keys: earlier maps lose to the map's own keys. */
function merged(node) {
  if (Array.isArray(node)) return node.map(merged);
  if (node === null || typeof node !== 'object') return node;
  const result = {};
  if ('<<' in node) for (const source of [].concat(node['<<']).reverse()) Object.assign(result, merged(source));
  for (const [key, value] of Object.entries(node)) if (key !== '<<') result[key] = merged(value);
  return result;
}

/** Compose's interpolation of the operator's environment into a value. */
function interpolate(value, where) {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^}\\]|\\.)*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name, colon, op, arg, bare) => {
      if (match === '$$') return '$';
      if (bare) return process.env[bare] ?? '';
      const value = process.env[name];
      const missing = value === undefined || (colon === ':' && value === '');
      if (op === '-') return missing ? arg : value;
      if (op === '?' && missing) {
        process.stderr.write(`compose: ${where}: required variable ${name} is missing a value: ${arg}\n`);
        process.exit(1);
      }
      return value ?? '';
    });
}

const compose = merged(yaml.load(readFileSync(file, 'utf8')));
mkdirSync(out, { recursive: true });
const nul = (items) => items.map((i) => `${i}\0`).join('');
for (const [name, service] of Object.entries(compose.services)) {
  const environment = service.environment ?? {};
  const pairs = Array.isArray(environment)
    ? environment.map((e) => interpolate(e, name))
    : Object.entries(environment).map(([k, v]) => `${k}=${v === null ? '' : interpolate(String(v), `${name}.${k}`)}`);
  writeFileSync(`${out}/${name}.env`, nul(pairs));
  for (const key of ['command', 'entrypoint']) {
    if (service[key] === undefined) continue;
    const args = Array.isArray(service[key]) ? service[key] : ['/bin/sh', '-c', service[key]];
    writeFileSync(`${out}/${name}.${key}`, nul(args.map((a) => interpolate(String(a), `${name}.${key}`))));
  }
  const mounts = (service.volumes ?? [])
    .map((v) => String(v).split(':'))
    .filter(([source]) => source.startsWith('.') || source.startsWith('/'))
    .flatMap(([source, target]) => [target, resolve(base, source)]);
  writeFileSync(`${out}/${name}.mounts`, nul(mounts));
}
