import { readFileSync } from 'node:fs';

const text = readFileSync('/tmp/t.amat', 'utf8');
const lines = text.split('\n').filter(Boolean);
const out = new Float32Array(785);
let t = performance.now();
for (const line of lines) {
  const tk = line.trim().split(/\s+/);
  for (let k = 0; k < 785; k++) out[k] = Number(tk[k]);
}
console.log('split regex', performance.now() - t);
t = performance.now();
for (const line of lines) {
  const tk = line.split(' ');
  for (let k = 0; k < 785; k++) out[k] = Number(tk[k]);
}
console.log('split space', performance.now() - t);
t = performance.now();
for (const line of lines) {
  let k = 0,
    i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out[k++] = Number(line.slice(s, i));
  }
}
console.log('manual scan', performance.now() - t);
t = performance.now();
const Z = '0.000000000000000000e+00';
for (const line of lines) {
  const tk = line.split(' ');
  let k = 0;
  for (let q = 0; q < tk.length; q++) {
    const s = tk[q]!;
    if (s === '') continue;
    out[k++] = s === Z ? 0 : Number(s);
  }
}
console.log('split space + zero fastpath', performance.now() - t);
