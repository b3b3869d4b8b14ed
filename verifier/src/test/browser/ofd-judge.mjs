// The outside judge of our OFD files: ofd.js (npm) renders each case in Debian's headless chromium and checks its
// seal (its SM2 check of the SES_Signature, and its SM3 check of every Reference's CheckValue); then a clerk uploads
// OFD files to our verification page. Prints what was seen as JSON. Run by OfdJsJudgeTest:
// node ofd-judge.mjs <case file (JSON)>.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(cases.playwrightDir + '/package.json');
const { chromium } = require('playwright-core');

// ofd.js is served from a made-up origin by the browser itself (page.route): no server, no port
const JUDGE = 'http://ofd-judge.invalid/';
const ofdJs = readFileSync(cases.ofdJs);
const browser = await chromium.launch({
  executablePath: cases.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
});
const results = { judged: {} };
try {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1000, height: 1300 } });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(m.type() + ': ' + m.text().slice(0, 300)));
  page.on('pageerror', (e) => log.push('pageerror: ' + e.message));
  await page.route(JUDGE + '**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/ofd.umd.js') {
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: ofdJs });
    }
    if (path === '/') {
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><body style="margin:0"><div id="pages"></div>'
          + '<script src="/ofd.umd.js"></script>' });
    }
    return route.fulfill({ status: 404, body: '' });
  });

  for (const [name, file] of Object.entries(cases.judge)) {
    await page.goto(JUDGE);
    const seen = await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      return await new Promise((resolve) => {
        const out = {};
        const timer = setTimeout(() => resolve(Object.assign(out, { error: 'ofd.js gave no answer in 60 s' })), 60000);
        window.ofd.parseOfdDocument({
          ofd: bytes.buffer,
          success: async (documents) => {
            try {
              const divs = window.ofd.renderOfd(794, documents[0]); // A4 at 96 dpi
              out.pages = divs.length;
              divs.forEach((d) => document.getElementById('pages').appendChild(d));
              const first = divs[0].getBoundingClientRect();
              out.page = { x: first.x, y: first.y, width: first.width, height: first.height };
              // the seal: an <svg name="seal_img_div"> holding the seal's picture, where the StampAnnot puts it
              out.seals = [...document.querySelectorAll('[name=seal_img_div]')].map((s) => {
                const box = s.getBoundingClientRect();
                const image = s.querySelector('image');
                const info = JSON.parse(s.dataset.signedInfo);
                return {
                  box: { x: box.x - first.x, y: box.y - first.y, width: box.width, height: box.height },
                  image: image ? (image.getAttribute('xlink:href') || '').slice(0, 22) : null,
                  signatureId: info.signatureID,
                  // ofd.js's SM2 check of the SES_Signature (its toSign against the signer's certificate)
                  signatureValid: info.VerifyRet,
                };
              });
              // ofd.js's SM3 check of each Reference's CheckValue against the file (it fills toBeChecked while
              // reading; the files are read asynchronously, so give them a moment)
              await new Promise((r) => setTimeout(r, 300));
              out.digests = out.seals.map((s) => {
                const references = window.toBeChecked && window.toBeChecked.get(s.signatureId);
                return references ? { references: references.length, valid: window.ofd.digestCheck(references) } : null;
              });
              out.text = document.getElementById('pages').textContent.slice(0, 400);
            } catch (e) {
              out.error = String((e && e.stack) || e);
            }
            clearTimeout(timer);
            resolve(out);
          },
          fail: (e) => { clearTimeout(timer); resolve(Object.assign(out, { error: 'ofd.js refused it: ' + e })); },
        });
      });
    }, readFileSync(file).toString('base64'));
    // the picture is a data: URL: let it be drawn before the picture of the page is taken
    await page.waitForTimeout(500);
    if (seen.pages) {
      seen.screenshot = `${cases.screenshots}/ofdjs-${name}.png`;
      await page.locator('#pages > div').first().screenshot({ path: seen.screenshot });
    }
    results.judged[name] = seen;
  }

  // a clerk drops the OFD on our own verification page
  results.page = {};
  for (const [name, file] of Object.entries(cases.upload)) {
    await page.goto(cases.baseUrl + '/');
    await page.setInputFiles('#file', file);
    await page.waitForSelector('#verdict[data-verdict], #problem:not([hidden])', { timeout: 90000 });
    await page.screenshot({ path: `${cases.screenshots}/page-${name}.png`, fullPage: true });
    const text = async (selector) => ((await page.textContent(selector)) || '').trim();
    results.page[name] = {
      verdict: (await page.isVisible('#verdict')) ? await text('#verdict') : null,
      problem: (await page.isVisible('#problem')) ? await text('#problem') : null,
      details: await text('#details'),
    };
  }
  results.log = log;
} catch (e) {
  results.error = String((e && e.stack) || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
