// The signature pad: pointer events (mouse, pen with pressure, finger), undo, clear, a preview of what will be
// printed, and one submission of the strokes with their timing to the capture session named in the address
// (pad.html#<session id>). The session id never leaves the page except to this service.
(() => {
  const session = decodeURIComponent(location.hash.slice(1));
  const canvas = document.getElementById('pad');
  const ctx = canvas.getContext('2d');
  const statusLine = document.getElementById('status');
  const submitButton = document.getElementById('submit');
  const strokes = [];        // each: [{x, y, p, t}]
  let current = null;
  let started = null;        // performance.now() of the first point
  let done = false;

  function say(text, state) {
    statusLine.textContent = text;
    statusLine.dataset.state = state || '';
  }

  // the pad's units are the canvas's CSS pixels, fixed once (a resize afterwards scales the drawing, not the data)
  const rect = canvas.getBoundingClientRect();
  const padWidth = Math.max(10, Math.round(rect.width));
  const padHeight = Math.max(10, Math.round(rect.height));
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(padWidth * ratio);
  canvas.height = Math.round(padHeight * ratio);

  function point(e) {
    const r = canvas.getBoundingClientRect();
    const x = Math.min(padWidth, Math.max(0, Math.round((e.clientX - r.left) * padWidth / r.width)));
    const y = Math.min(padHeight, Math.max(0, Math.round((e.clientY - r.top) * padHeight / r.height)));
    // a mouse reports 0.5 while pressed; a pen or finger without pressure reports 0: take the middle then
    const pressure = e.pressure > 0 ? e.pressure : 0.5;
    if (started === null) started = performance.now();
    return { x, y, p: Math.round(pressure * 100), t: Math.max(0, Math.round((e.timeStamp || performance.now()) - started)) };
  }

  function width(a, b) {
    return Math.max(0.6, 3.2 * (0.4 + 1.2 * (a.p + b.p) / 200));
  }

  function redraw() {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, padWidth, padHeight);
    ctx.strokeStyle = '#141a4d';
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const s of strokes.concat(current ? [current] : [])) {
      if (s.length === 1) {
        ctx.lineWidth = width(s[0], s[0]);
        ctx.beginPath(); ctx.moveTo(s[0].x, s[0].y); ctx.lineTo(s[0].x, s[0].y); ctx.stroke();
      }
      for (let i = 1; i < s.length; i++) {
        ctx.lineWidth = width(s[i - 1], s[i]);
        ctx.beginPath(); ctx.moveTo(s[i - 1].x, s[i - 1].y); ctx.lineTo(s[i].x, s[i].y); ctx.stroke();
      }
    }
    preview();
    submitButton.disabled = done || strokes.length === 0;
  }

  // the preview: the strokes fitted into a 5:2 box as the document will show them (smoothed like the PDF paths)
  function preview() {
    const box = { w: 250, h: 100 };
    const scale = Math.min(box.w / padWidth, box.h / padHeight);
    const dx = (box.w - padWidth * scale) / 2;
    const dy = (box.h - padHeight * scale) / 2;
    const f = (v) => v.toFixed(1);
    const paths = strokes.map((s) => {
      const pts = s.map((q) => ({ x: dx + q.x * scale, y: dy + q.y * scale }));
      let d = `M${f(pts[0].x)} ${f(pts[0].y)}`;
      if (pts.length === 1) d += `L${f(pts[0].x)} ${f(pts[0].y)}`;
      for (let i = 1; i < pts.length; i++) {
        if (i === pts.length - 1) { d += `L${f(pts[i].x)} ${f(pts[i].y)}`; break; }
        const mx = (pts[i].x + pts[i + 1].x) / 2;
        const my = (pts[i].y + pts[i + 1].y) / 2;
        d += `Q${f(pts[i].x)} ${f(pts[i].y)} ${f(mx)} ${f(my)}`;
      }
      return `<path d="${d}" fill="none" stroke="#141a4d" stroke-width="${f(3.2 * scale)}" stroke-linecap="round" stroke-linejoin="round"/>`;
    });
    document.getElementById('preview').innerHTML = paths.join('');
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (done) return;
    e.preventDefault();
    try { canvas.setPointerCapture(e.pointerId); } catch (ignored) { /* synthetic events have no capture */ }
    current = [point(e)];
    redraw();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!current) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === 'function' && e.getCoalescedEvents().length ? e.getCoalescedEvents() : [e];
    for (const c of events) {
      const q = point(c);
      const last = current[current.length - 1];
      if (q.x !== last.x || q.y !== last.y) current.push(q);
    }
    redraw();
  });
  function end(e) {
    if (!current) return;
    if (e && e.type === 'pointerup') {
      const q = point(e);
      const last = current[current.length - 1];
      if (q.x !== last.x || q.y !== last.y) current.push(q);
    }
    strokes.push(current);
    current = null;
    redraw();
  }
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  document.getElementById('undo').addEventListener('click', () => { if (!done) { strokes.pop(); redraw(); } });
  document.getElementById('clear').addEventListener('click', () => { if (!done) { strokes.length = 0; redraw(); } });

  submitButton.addEventListener('click', async () => {
    if (done || strokes.length === 0) return;
    submitButton.disabled = true;
    say('正在提交 Sending…');
    const body = { pad: [padWidth, padHeight], strokes: strokes.map((s) => s.flatMap((q) => [q.x, q.y, q.p, q.t])) };
    try {
      const response = await fetch(`../api/v1/captures/${encodeURIComponent(session)}/strokes`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (!response.ok) {
        say(`未能提交 Not accepted: ${answer.detail || answer.title} (${(answer.type || '').replace('urn:yinxin:problem:', '')})`, 'error');
        submitButton.disabled = false;
        return;
      }
      done = true;
      say('已签名，请回到柜台 Signed — please return to the desk.', 'captured');
    } catch (err) {
      say(`网络错误 Network error: ${err.message}`, 'error');
      submitButton.disabled = false;
    }
  });

  async function load() {
    const line = document.getElementById('document');
    if (!session) { line.textContent = '没有签名会话 No signing session in this address.'; say('', 'error'); return; }
    try {
      const response = await fetch(`../api/v1/captures/${encodeURIComponent(session)}`);
      const answer = await response.json();
      if (!response.ok) {
        line.textContent = `${answer.title}: ${answer.detail}`;
        say('无法签名 Cannot sign here.', 'error');
        done = true;
        return;
      }
      line.textContent = `文件 Document: ${answer.documentName || '—'} · SHA-256 ${answer.documentSha256.slice(0, 16)}… · `
        + `有效至 valid until ${new Date(answer.expiresAt).toLocaleTimeString()}`;
      if (answer.status !== 'OPEN') { done = true; say('此会话已签名 This session has its signature already.', 'captured'); }
      document.body.dataset.ready = 'true';
    } catch (err) {
      line.textContent = `网络错误 Network error: ${err.message}`;
    }
  }
  redraw();
  load();
})();
