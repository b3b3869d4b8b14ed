// A person signs in at the signature desk through Keycloak's login page (authorisation code with PKCE, in headless
// chromium through playwright-core), applies for their e-signature, and signs out. Prints what the pages showed, as
// JSON. Run by YinxinKeycloakIT: node desk-sign-in.mjs <case file>.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(cases.playwrightDir + '/package.json');
const { chromium } = require('playwright-core');

const browser = await chromium.launch({ executablePath: cases.chromium, headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'] });
const seen = { requests: [] };
try {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(m.type() + ': ' + m.text()));
  page.on('pageerror', (e) => log.push('pageerror: ' + e.message));
  // what the desk sends to the seal service's API: a Bearer token, never a development header
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/personal-signatures') || r.url().includes('/api/v1/holder/')
        || r.url().includes('/api/v1/verify/')) {
      const h = r.headers();
      seen.requests.push({ url: r.url(), bearer: (h.authorization || '').startsWith('Bearer '),
        devHeaders: Object.keys(h).filter((k) => k.startsWith('x-dev-')) });
    }
  });

  await page.goto(cases.deskUrl);
  await page.waitForSelector('#sign-in', { state: 'visible', timeout: 30000 });
  seen.devFieldsVisible = await page.isVisible('#person-id');
  seen.before = (await page.textContent('#who')).trim();
  // before signing in, the API refuses the desk
  await page.click('#load');
  await page.waitForSelector('#signature.error');
  seen.withoutSignIn = (await page.textContent('#signature')).trim();

  await page.click('#sign-in');
  await page.waitForSelector('#username', { timeout: 30000 });
  seen.loginPage = page.url().split('?')[0];
  seen.loginQuery = Object.fromEntries(new URL(page.url()).searchParams);
  await page.fill('#username', cases.username);
  await page.fill('#password', cases.password);
  await page.click('#kc-login');
  await page.waitForSelector('#sign-out', { state: 'visible', timeout: 30000 });
  seen.backAt = page.url();
  seen.who = (await page.textContent('#who')).trim();

  await page.click('#apply');
  await page.waitForSelector('#signature.ok, #signature.error', { timeout: 60000 });
  seen.applied = (await page.textContent('#signature')).trim();
  // a reload keeps the sign-in of this tab
  await page.reload();
  await page.waitForSelector('#sign-out', { state: 'visible', timeout: 30000 });
  await page.click('#load');
  await page.waitForSelector('#signature.ok, #signature.error', { timeout: 30000 });
  seen.afterReload = (await page.textContent('#signature')).trim();
  seen.csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));

  // the holder page of the licence service: the Keycloak session signs the person in there without a second login
  await page.goto(cases.holderUrl);
  await page.waitForSelector('#kc-sign-in', { state: 'visible', timeout: 30000 });
  await page.click('#kc-sign-in');
  await page.waitForSelector('#kc-sign-out', { state: 'visible', timeout: 30000 });
  seen.holderPerson = (await page.textContent('#person')).trim();
  seen.holderDevFieldsVisible = await page.isVisible('#who');
  await page.waitForFunction((id) => document.getElementById('licences').textContent.includes(id),
    cases.licenceIdentifier, { timeout: 30000 });
  seen.holderLicences = (await page.textContent('#licences')).trim();

  await page.goto(cases.deskUrl);
  await page.waitForSelector('#sign-out', { state: 'visible', timeout: 30000 });
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in', { state: 'visible', timeout: 30000 });
  seen.afterSignOut = (await page.textContent('#who')).trim();
  // the Keycloak session is over: signing in again shows the login form
  await page.click('#sign-in');
  await page.waitForSelector('#username', { timeout: 30000 });
  seen.signInAgain = page.url().split('?')[0];

  // answers that must not be redeemed: a code whose state this tab never sent (a forged or replayed link), one
  // whose state differs from the request this tab made, and Keycloak's refusal; no token request in any of them
  const tokenRequests = [];
  page.on('request', (r) => { if (r.url().includes('/protocol/openid-connect/token')) tokenRequests.push(r.url()); });
  async function returnWith(query) {
    await page.goto(cases.deskUrl + query);
    await page.waitForSelector('#signature.error', { timeout: 30000 });
    return { message: (await page.textContent('#signature')).trim(), address: page.url(),
      signedIn: await page.isVisible('#sign-out') };
  }
  seen.forgedAnswer = await returnWith('?code=forged-code&state=forged-state');
  await page.goto(cases.deskUrl);
  await page.waitForSelector('#sign-in', { state: 'visible', timeout: 30000 });
  await page.click('#sign-in'); // this tab now waits for an answer with its own state
  await page.waitForSelector('#username', { timeout: 30000 });
  seen.otherStateAnswer = await returnWith('?code=some-code&state=' + 'a'.repeat(22));
  seen.refusedAnswer = await returnWith('?error=access_denied&error_description=User%20cancelled&state=x');
  seen.tokenRequestsForBadAnswers = tokenRequests.length;

  // the verification page: anonymous, a licence code shows its holder masked; an officer who signs in sees the
  // holder's name and ID number
  async function verifyCode() {
    await page.evaluate(() => { document.getElementById('details').textContent = ''; });
    await page.fill('#qrtext', cases.licenceCode);
    await page.click('#text-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('details').textContent.length > 0, null,
      { timeout: 30000 });
    return { verdict: (await page.textContent('#verdict')).trim(), details: (await page.textContent('#details')).trim() };
  }
  await page.goto(cases.verifierUrl);
  await page.waitForSelector('#officer-sign-in', { state: 'visible', timeout: 30000 });
  seen.verifierAnonymous = await verifyCode();
  await page.click('#officer-sign-in');
  await page.waitForSelector('#username', { timeout: 30000 });
  await page.fill('#username', cases.officerUsername);
  await page.fill('#password', cases.password);
  await page.click('#kc-login');
  await page.waitForSelector('#officer-sign-out', { state: 'visible', timeout: 30000 });
  seen.verifierOfficer = (await page.textContent('#officer-who')).trim();
  // the holder's data is shown for a stated purpose and case only
  await page.fill('#purpose', '交通违法处理，核实驾驶人身份');
  await page.fill('#case-number', '公交决字〔2026〕18号');
  seen.verifierSignedIn = await verifyCode();
  seen.verifierCsp = await page.evaluate(async () => (await fetch('/')).headers.get('content-security-policy'));
  seen.log = log;
} catch (e) {
  seen.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen));
