// Drives the verification page in headless chromium (Debian's, through playwright-core) and prints what a person
// would read on it, as JSON. Run by VerifierPageBrowserTest: node verify-page.mjs <case file (JSON)>.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(cases.playwrightDir + '/package.json');
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: cases.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage',
    // a camera that films the photo of the QR code, allowed without asking
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    '--use-file-for-fake-video-capture=' + cases.cameraVideo],
});
const results = {};
try {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(m.type() + ': ' + m.text()));
  page.on('pageerror', (e) => log.push('pageerror: ' + e.message));

  const text = async (selector) => ((await page.textContent(selector)) || '').trim();
  let shot = 0;
  async function outcome(action) {
    // forget the last verdict, so that only the one this action brings counts
    await page.evaluate(() => {
      delete document.getElementById('verdict').dataset.verdict;
      document.getElementById('problem').hidden = true;
    });
    await action();
    await page.waitForSelector('#verdict[data-verdict], #problem:not([hidden])', { timeout: 90000 });
    if (cases.screenshots) {
      await page.screenshot({ path: `${cases.screenshots}/${String(++shot).padStart(2, '0')}.png`, fullPage: true });
    }
    return {
      verdict: (await page.isVisible('#verdict')) ? await text('#verdict') : null,
      summary: await text('#summary'),
      problem: (await page.isVisible('#problem')) ? await text('#problem') : null,
      details: await text('#details'),
    };
  }
  async function loaded() {
    await page.waitForFunction(() => !document.getElementById('freshness').textContent.startsWith('正在读取'), null,
      { timeout: 30000 });
    return text('#freshness');
  }

  await page.goto(cases.baseUrl + '/');
  results.freshness = await loaded();
  results.sealedPdf = await outcome(() => page.setInputFiles('#file', cases.sealedPdf));
  results.tamperedPdf = await outcome(() => page.setInputFiles('#file', cases.tamperedPdf));
  results.paintedPdf = await outcome(() => page.setInputFiles('#file', cases.paintedPdf));
  results.pagePictures = [];
  for (const [i, img] of (await page.$$('#details .pictures img')).entries()) {
    const screenshot = `${cases.screenshots}/page-picture-${i}.png`;
    await img.screenshot({ path: screenshot });
    results.pagePictures.push({ screenshot, alt: await img.getAttribute('alt'),
      naturalWidth: await img.evaluate((e) => e.naturalWidth) });
  }
  results.handwrittenPdf = await outcome(() => page.setInputFiles('#file', cases.handwrittenPdf));
  results.handwritingImages = [];
  for (const [i, img] of (await page.$$('#details img.handwriting')).entries()) {
    const screenshot = `${cases.screenshots}/handwriting-${i}.png`;
    await img.screenshot({ path: screenshot });
    results.handwritingImages.push({ screenshot, alt: await img.getAttribute('alt'),
      naturalWidth: await img.evaluate((e) => e.naturalWidth) });
  }
  results.photo = await outcome(() => page.setInputFiles('#photo', cases.photo));
  results.noCodePhoto = await outcome(() => page.setInputFiles('#photo', cases.noCodePhoto));
  results.text = await outcome(async () => {
    await page.fill('#qrtext', cases.code);
    await page.click('#text-form button[type=submit]');
  });
  results.forgedText = await outcome(async () => {
    await page.fill('#qrtext', cases.forgedCode);
    await page.click('#text-form button[type=submit]');
  });
  results.camera = await outcome(async () => {
    await page.click('#camera-start');
    await page.waitForSelector('#camera-shoot', { state: 'visible', timeout: 30000 });
    await page.waitForFunction(() => document.getElementById('video').videoWidth > 0, null, { timeout: 30000 });
    await page.waitForTimeout(500);
    if (cases.screenshots) {
      const frame = await page.evaluate(() => {
        const video = document.getElementById('video');
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext('2d').drawImage(video, 0, 0);
        return canvas.toDataURL('image/png');
      });
      writeFileSync(`${cases.screenshots}/camera-frame.png`, Buffer.from(frame.split(',')[1], 'base64'));
    }
    await page.click('#camera-shoot');
  });

  results.manifestType = await page.evaluate(async () => (await fetch('manifest.webmanifest')).headers.get('content-type'));
  results.serviceWorker = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active ? registration.active.state : null;
  });

  // the page behind the printed verification address
  await page.goto(cases.baseUrl + '/d/' + cases.documentId);
  await loaded();
  results.documentBanner = (await page.isVisible('#document-banner')) ? await text('#document-banner') : null;
  results.documentText = await outcome(async () => {
    await page.fill('#qrtext', cases.code);
    await page.click('#text-form button[type=submit]');
  });

  // no network: the installed page still opens and checks codes on the device
  await page.goto(cases.baseUrl + '/');
  await loaded();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  await context.setOffline(true);
  await page.reload();
  results.offlineFreshness = await loaded();
  results.offlineText = await outcome(async () => {
    await page.fill('#qrtext', cases.code);
    await page.click('#text-form button[type=submit]');
  });
  results.offlineForged = await outcome(async () => {
    await page.fill('#qrtext', cases.forgedCode);
    await page.click('#text-form button[type=submit]');
  });
  // the seal was renewed a day ago and the saved data says so: a code made with its old certificate today is refused
  const renewedYesterday = (when) => page.evaluate((at) => {
    const snapshot = JSON.parse(localStorage.getItem('yinxin.qr-signers'));
    snapshot.signers.forEach((signer) => { signer.replacedAt = at; });
    localStorage.setItem('yinxin.qr-signers', JSON.stringify(snapshot));
  }, when);
  await renewedYesterday(new Date(Date.now() - 86400000).toISOString());
  results.offlineReplaced = await outcome(async () => {
    await page.fill('#qrtext', cases.code);
    await page.click('#text-form button[type=submit]');
  });
  await renewedYesterday(null);
  // the saved trust data grows older than the verifier's limit: a genuine code can no longer be confirmed
  await page.evaluate(() => {
    const snapshot = JSON.parse(localStorage.getItem('yinxin.qr-signers'));
    snapshot.sealsFetchedAt = new Date(Date.now() - 10 * 86400000).toISOString();
    localStorage.setItem('yinxin.qr-signers', JSON.stringify(snapshot));
  });
  results.offlineStale = await outcome(async () => {
    await page.fill('#qrtext', cases.code);
    await page.click('#text-form button[type=submit]');
  });
  await page.goto(cases.baseUrl + '/d/' + cases.documentId);
  results.offlineDocumentBanner = (await page.isVisible('#document-banner')) ? await text('#document-banner') : null;
  await context.setOffline(false);
  results.log = log;
} catch (e) {
  results.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1) + '\n');
