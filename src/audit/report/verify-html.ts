import { createHash } from 'node:crypto';

/**
 * The checker an inspector opens from the report's zip: one file, its script and style inline, nothing fetched
 * (its Content-Security-Policy allows only this script and this style, by hash, and no connections). It recomputes
 * what src/records/canonical.ts does: each line of records.jsonl is a record as canonical JSON (keys sorted, no
 * spaces), its hash is SHA-256 of the line's UTF-8 bytes, and the next line carries that hash as previousHash.
 * The manifest (the last line) gives the hash before the first line and the hash of the last (chainHead).
 */
export const VERIFY_SCRIPT = String.raw`
'use strict';
const $ = (id) => document.getElementById(id);
const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (text) => hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
// As canonicalJson in Årshjul: keys sorted by UTF-16 code units at every level, undefined left out, no spaces.
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value === undefined ? null : value);
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
}
function show(id, text) { const el = $(id); el.textContent = text; el.hidden = !text; }
function row(table, cells) {
  const tr = document.createElement('tr');
  for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); }
  table.appendChild(tr);
}
async function check(file) {
  $('result').hidden = true;
  $('problems').replaceChildren();
  show('status', 'Kontrollerer ' + file.name + ' …');
  $('status').className = 'status';
  const text = await file.text();
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  let manifest = null;
  const problems = [];
  let previous = null;
  let previousLine = 0;
  let count = 0;
  let firstPrevious = null;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i];
    if (line.startsWith('{"manifest":')) {
      try { manifest = JSON.parse(line).manifest; } catch (e) { problems.push([n, 'Manifestet er ikke gyldig JSON.', line]); }
      continue;
    }
    let record;
    try { record = JSON.parse(line); } catch (e) { problems.push([n, 'Linjen er ikke gyldig JSON.', line]); previous = await sha256(line); previousLine = n; count++; continue; }
    count++;
    if (canonical(record) !== line) problems.push([n, 'Linjen er ikke slik Årshjul skrev den (ikke kanonisk JSON): den er endret.', line]);
    const claimed = record && typeof record.previousHash === 'string' ? record.previousHash : '';
    if (firstPrevious === null) firstPrevious = claimed;
    else if (claimed !== previous) {
      problems.push([n, 'Linje ' + n + ' henger ikke sammen med linje ' + previousLine + ': hashen av linje ' + previousLine + ' er ' + previous + ', men linje ' + n + ' sier ' + claimed + '. Linje ' + previousLine + ' er endret, eller en post er fjernet eller satt inn mellom dem.', line]);
    }
    previous = await sha256(line);
    previousLine = n;
  }
  if (!manifest) problems.push([lines.length, 'Filen har ikke noe manifest (siste linje, {"manifest":…}): den er avkortet, eller ikke en eksport fra Årshjul.', '']);
  else {
    if (manifest.previousHashOfFirst !== null && firstPrevious !== null && manifest.previousHashOfFirst !== firstPrevious) {
      problems.push([1, 'Første linje sier at hashen før den er ' + firstPrevious + ', men manifestet sier ' + manifest.previousHashOfFirst + '.', lines[0]]);
    }
    if (manifest.chainHead !== (previous === null ? null : previous)) {
      problems.push([previousLine, 'Hashen av siste linje (' + (previous || 'ingen') + ') er ikke manifestets chainHead (' + manifest.chainHead + '): siste linje er endret, eller poster er fjernet fra slutten.', lines[previousLine - 1] || '']);
    }
    if (manifest.records !== count) problems.push([lines.length, 'Manifestet sier ' + manifest.records + ' poster, filen har ' + count + '.', '']);
  }
  problems.sort((a, b) => a[0] - b[0]);
  $('result').hidden = false;
  show('lines', String(count));
  show('before', firstPrevious || '–');
  show('head', previous || '–');
  show('manifestHead', manifest && manifest.chainHead ? manifest.chainHead : '–');
  show('unit', manifest ? manifest.unitId + ' (' + manifest.from + ' – ' + manifest.to + ')' : '–');
  if (problems.length === 0) {
    $('status').className = 'status ok';
    show('status', 'Kjeden er hel: alle ' + count + ' poster henger sammen, og siste hash er lik manifestets chainHead.');
    show('first', '');
  } else {
    $('status').className = 'status broken';
    show('status', 'Kjeden er brutt: ' + problems.length + (problems.length === 1 ? ' feil.' : ' feil.') + ' Første brudd er på linje ' + problems[0][0] + '.');
    show('first', 'Linje ' + problems[0][0] + ': ' + problems[0][1]);
    for (const p of problems.slice(0, 200)) row($('problems'), ['Linje ' + p[0], p[1], p[2].slice(0, 160)]);
  }
}
$('file').addEventListener('change', (event) => {
  const file = event.target.files && event.target.files[0];
  if (file) check(file).catch((e) => { $('status').className = 'status broken'; show('status', 'Kunne ikke lese filen: ' + e); });
});
`;

const STYLE = `
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1f2933; }
h1 { font-size: 1.6rem; } code, .hash { font-family: ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
.status { padding: .75rem 1rem; border-radius: .4rem; background: #eef2f6; font-weight: 600; }
.ok { background: #e6f4ea; color: #1b5e20; border: 1px solid #1b5e20; } .broken { background: #fdecea; color: #b71c1c; border: 1px solid #b71c1c; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dt { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } td { border: 1px solid #c5ccd6; padding: .25rem .5rem; vertical-align: top; word-break: break-word; }
label { font-weight: 600; display: block; margin: 1rem 0 .25rem; }
`;

const hashOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

export const VERIFY_HTML = `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-${hashOf(VERIFY_SCRIPT)}'; style-src 'sha256-${hashOf(STYLE)}'; base-uri 'none'; form-action 'none'">
<title>Kontroller kjeden – Årshjul</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Kontroller kjeden av signerte poster</h1>
<p>Denne siden kontrollerer en eksport fra Årshjul (<code>records.jsonl</code>) uten å stole på Årshjul: den regner ut SHA-256 av hver linje med nettleserens egen kryptografi og sjekker at neste linje bærer akkurat den hashen (<code>previousHash</code>). Ingenting sendes noe sted; siden virker uten nett.</p>
<label for="file">Velg JSONL-filen (records.jsonl)</label>
<input type="file" id="file" accept=".jsonl,.ndjson,.txt,application/x-ndjson">
<p id="status" class="status" role="status" aria-live="polite">Ingen fil valgt ennå.</p>
<section id="result" hidden>
<p id="first" role="alert" hidden></p>
<dl>
<dt>Poster kontrollert</dt><dd id="lines"></dd>
<dt>Enhet og periode</dt><dd id="unit"></dd>
<dt>Hash før første linje</dt><dd id="before" class="hash"></dd>
<dt>Kjedehode (hash av siste linje)</dt><dd id="head" class="hash"></dd>
<dt>Manifestets chainHead</dt><dd id="manifestHead" class="hash"></dd>
</dl>
<table><tbody id="problems"></tbody></table>
<p>Sammenlign kjedehodet med kjedehodet i rapporten (PDF) og med et kjedehode notert tidligere: at de nyeste postene er slettet, kan bare oppdages mot et slikt.</p>
</section>
</main>
<script>${VERIFY_SCRIPT}</script>
</body>
</html>
`;
