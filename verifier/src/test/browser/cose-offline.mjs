// Runs the offline page's cose.js (webroot) in node, as the page runs it, on the codes of a case file:
// node cose-offline.mjs cases.json -> {"<name>": {verdict, problem, summary}, ...}
// Node has what the page uses (WebCrypto, DecompressionStream, atob, TextDecoder); no browser is needed.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
globalThis.window = {};
vm.runInThisContext(readFileSync(cases.coseJs, "utf8"));
const seen = {};
for (const [name, code] of Object.entries(cases.codes)) {
  const answer = await window.YinxinQr.verifyOffline(code, cases.snapshot, new Date(cases.now));
  seen[name] = { verdict: answer.verdict, problem: answer.problem, summary: answer.summary };
}
console.log(JSON.stringify(seen));
