// The desk and the phone in headless chromium (Debian's, through playwright-core): the desk page opens a signature
// pad session for a PDF and shows its QR code; zbarimg reads the code from a screenshot, as a phone's camera would;
// a phone-sized page opens that address and draws a signature with synthetic pointer events (mouse strokes, one
// stray stroke taken back with Undo, one pen stroke with pressure) and submits; the desk sees the signature arrive,
// signs and downloads the PDF. Prints what the pages showed, as JSON.
// Run by SignaturePadBrowserTest: node pad.mjs <case file>.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(cases.playwrightDir + '/package.json');
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: cases.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
});
const seen = {};
try {
  // a phone-sized screen with touch, as when the desk's QR code is scanned
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 412, height: 860 }, hasTouch: true,
    deviceScaleFactor: 2 });
  let page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(m.type() + ': ' + m.text()));
  page.on('pageerror', (e) => log.push('pageerror: ' + e.message));

  // an expired session: the pad says so and offers nothing to sign
  await page.goto(cases.expiredPadUrl);
  await page.waitForFunction(() => !document.getElementById('document').textContent.startsWith('正在读取'));
  seen.expired = { document: await page.textContent('#document'), status: await page.textContent('#status') };

  // the desk: a signed-in person chooses the PDF and shows the pad's QR code
  const deskContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 900 } });
  const desk = await deskContext.newPage();
  desk.on('pageerror', (e) => log.push('desk pageerror: ' + e.message));
  await desk.goto(cases.deskUrl);
  await desk.fill('#person-id', cases.personId);
  await desk.fill('#person-name', cases.personName);
  await desk.click('#load');
  await desk.waitForSelector('#signature.ok, #signature.error');
  seen.deskSignature = await desk.textContent('#signature');
  await desk.setInputFiles('#file', cases.pdf);
  await desk.click('#open');
  await desk.waitForSelector('#qr img');
  const qrPng = `${cases.screenshots}/desk-qr.png`;
  await desk.locator('#qr img').screenshot({ path: qrPng });
  seen.scanned = execFileSync('zbarimg', ['-q', '--raw', qrPng], { encoding: 'utf8' }).trim();

  // the phone opens the scanned address (a fresh page: the same page with another #session would not load again)
  await page.close();
  page = await context.newPage();
  page.on('console', (m) => log.push(m.type() + ': ' + m.text()));
  page.on('pageerror', (e) => log.push('pageerror: ' + e.message));
  await page.goto(seen.scanned);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30000 });
  seen.document = await page.textContent('#document');
  const box = await page.locator('#pad').boundingBox();
  seen.pad = { width: box.width, height: box.height };
  const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];

  async function mouseStroke(points) {
    const [x0, y0] = at(...points[0]);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (const p of points.slice(1)) {
      const [x, y] = at(...p);
      await page.mouse.move(x, y, { steps: 6 });
    }
    await page.mouse.up();
  }

  // a stray line, taken back
  await mouseStroke([[0.1, 0.9], [0.3, 0.95]]);
  seen.previewAfterStray = await page.locator('#preview path').count();
  await page.click('#undo');
  seen.previewAfterUndo = await page.locator('#preview path').count();

  // the name: a wave, a zigzag, an underline
  const wave = [];
  for (let i = 0; i <= 16; i++) wave.push([0.08 + i * 0.025, 0.5 + 0.3 * Math.sin(i / 2.5)]);
  await mouseStroke(wave);
  await mouseStroke([[0.52, 0.2], [0.58, 0.8], [0.64, 0.2], [0.70, 0.8], [0.76, 0.2]]);
  await mouseStroke([[0.1, 0.9], [0.9, 0.88]]);

  // a pen stroke with rising pressure (synthetic PointerEvents with pointerType "pen")
  const pen = (type, fx, fy, pressure) => {
    const [x, y] = at(fx, fy);
    return page.dispatchEvent('#pad', type, { pointerId: 7, pointerType: 'pen', isPrimary: true, pressure,
      clientX: x, clientY: y, buttons: type === 'pointerup' ? 0 : 1, bubbles: true, cancelable: true });
  };
  await pen('pointerdown', 0.8, 0.3, 0.2);
  for (let i = 1; i <= 10; i++) await pen('pointermove', 0.8 + i * 0.012, 0.3 + i * 0.03, 0.2 + i * 0.07);
  await pen('pointerup', 0.92, 0.6, 0.9);

  seen.previewStrokes = await page.locator('#preview path').count();
  seen.submitEnabled = await page.isEnabled('#submit');
  if (cases.screenshots) await page.screenshot({ path: `${cases.screenshots}/pad-drawn.png`, fullPage: true });
  await page.click('#submit');
  await page.waitForSelector('#status[data-state="captured"], #status[data-state="error"]', { timeout: 30000 });
  seen.status = await page.textContent('#status');
  seen.state = await page.getAttribute('#status', 'data-state');
  seen.submitEnabledAfter = await page.isEnabled('#submit');
  if (cases.screenshots) await page.screenshot({ path: `${cases.screenshots}/pad-submitted.png`, fullPage: true });

  // back at the desk: the signature has arrived; sign at the default place (60 mm, 240 mm) and download
  await desk.waitForSelector('#sign:not([disabled])', { timeout: 20000 });
  seen.deskCapture = await desk.textContent('#capture');
  await desk.click('#sign');
  await desk.waitForSelector('#result a, #result.error', { timeout: 60000 });
  seen.deskResult = await desk.textContent('#result');
  const [download] = await Promise.all([desk.waitForEvent('download'), desk.click('#result a')]);
  await download.saveAs(cases.signedPdf);
  await desk.click('#uses');
  await desk.waitForSelector('#use-table tr:nth-child(2)');
  seen.deskUses = await desk.locator('#use-table tr').count() - 1;
  if (cases.screenshots) await desk.screenshot({ path: `${cases.screenshots}/desk-signed.png`, fullPage: true });
  seen.log = log;
} catch (e) {
  seen.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen));
