// The desk page: a person's e-signature (apply, look, cancel), a signature pad session for a chosen PDF shown as
// a QR code for the phone, the signing once the pad has the signature, and the list of uses. The person signs in
// with Keycloak (../sign-in/sign-in.js: authorisation code with PKCE); the seal service takes their name and
// resident ID from the token. Under the development login the two fields go in the X-Dev-Person-* headers instead.
(async () => {
  const $ = (id) => document.getElementById(id);
  let capture = null;
  let poll = null;
  let signIn = null;

  async function headers() {
    if (signIn.mode === 'keycloak') return signIn.headers();
    return { 'X-Dev-Person-Id': $('person-id').value.trim(), 'X-Dev-Person-Name': encodeURIComponent($('person-name').value.trim()) };
  }
  async function call(method, path, body) {
    const response = await fetch('../' + path, { method, headers: await headers(), body });
    const type = response.headers.get('Content-Type') || '';
    const answer = type.includes('json') ? await response.json() : await response.blob();
    if (!response.ok) throw new Error(`${answer.title}: ${answer.detail}`);
    return { answer, response };
  }
  function show(id, text, ok) {
    $(id).textContent = text;
    $(id).className = ok === false ? 'error' : ok ? 'ok' : '';
  }
  function describe(s) {
    return `${s.name} (${s.residentId}) · ${s.status} · 证书 certificate ${s.certificateIssuer}/${s.certificateSerial}`
      + ` · 有效至 valid until ${new Date(s.validUntil).toLocaleDateString()}`;
  }
  async function run(id, action) {
    try { await action(); } catch (e) { show(id, e.message, false); }
  }

  try {
    signIn = await YinxinSignIn.start();
  } catch (e) {
    signIn = YinxinSignIn;
    show('signature', e.message, false);
  }
  if (signIn.mode === 'keycloak') {
    $('keycloak-sign-in').hidden = false;
    const person = signIn.person;
    if (person) {
      $('who').textContent = `${person.name || person.preferred_username}`
        + (person.resident_id ? ` (${person.resident_id})` : ' (无身份证号 no resident ID)');
      $('sign-in').hidden = true;
      $('sign-out').hidden = false;
    }
    $('sign-in').onclick = () => signIn.signIn();
    $('sign-out').onclick = () => signIn.signOut();
  } else {
    $('dev-sign-in').hidden = false;
  }

  $('load').onclick = () => run('signature', async () => show('signature', describe((await call('GET', 'api/v1/personal-signatures/mine')).answer), true));
  $('apply').onclick = () => run('signature', async () => show('signature', describe((await call('POST', 'api/v1/personal-signatures')).answer), true));
  $('cancel').onclick = () => run('signature', async () => {
    if (!confirm('注销后不能再签名 After cancelling, this e-signature signs nothing more. Cancel it?')) return;
    show('signature', describe((await call('POST', 'api/v1/personal-signatures/mine/cancellation')).answer), true);
  });

  $('open').onclick = () => run('capture', async () => {
    const file = $('file').files[0];
    if (!file) throw new Error('请选择文件 Choose a PDF first.');
    const form = new FormData();
    form.append('file', file);
    capture = (await call('POST', 'api/v1/personal-signatures/mine/captures', form)).answer;
    $('qr').replaceChildren(Object.assign(document.createElement('img'), { src: capture.qrPng, alt: capture.padUrl }));
    const link = Object.assign(document.createElement('a'), { href: capture.padUrl, target: '_blank', textContent: '或在此签名 or sign here' });
    $('qr').append(document.createElement('br'), link);
    show('capture', `等待签名 Waiting for the signature… (有效至 until ${new Date(capture.expiresAt).toLocaleTimeString()})`);
    $('sign').disabled = true;
    clearInterval(poll);
    poll = setInterval(async () => {
      const response = await fetch(`../api/v1/captures/${encodeURIComponent(capture.id)}`);
      const answer = await response.json();
      if (!response.ok) { clearInterval(poll); show('capture', `${answer.title}: ${answer.detail}`, false); return; }
      if (answer.status === 'CAPTURED') {
        clearInterval(poll);
        show('capture', '已收到签名 The signature has arrived: sign the document now.', true);
        $('sign').disabled = false;
      }
    }, 2000);
  });

  $('sign').onclick = () => run('result', async () => {
    const form = new FormData();
    form.append('file', $('file').files[0]);
    form.append('captureId', capture.id);
    if ($('field').value.trim()) {
      form.append('field', $('field').value.trim());
    } else {
      form.append('page', $('page').value);
      form.append('x', $('x').value);
      form.append('y', $('y').value);
    }
    const { answer, response } = await call('POST', 'api/v1/personal-signatures/mine/uses', form);
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(answer), download: 'signed.pdf',
      textContent: `下载 Download signed.pdf (${response.headers.get('X-Signature-Level')})` });
    $('result').replaceChildren(link);
    $('sign').disabled = true;
  });

  $('uses').onclick = () => run('use-table', async () => {
    const uses = (await call('GET', 'api/v1/personal-signatures/mine/uses')).answer;
    const rows = uses.map((u) => `<tr><td>${new Date(u.signedAt).toLocaleString()}</td><td>${u.signatureLevel}</td>`
      + `<td>p. ${u.page}</td><td><code>${u.documentSha256Before.slice(0, 16)}…</code></td></tr>`);
    $('use-table').innerHTML = '<tr><th>时间 When</th><th>级别 Level</th><th>位置 Where</th><th>文件 Document (SHA-256)</th></tr>'
      + rows.join('');
  });
})();
