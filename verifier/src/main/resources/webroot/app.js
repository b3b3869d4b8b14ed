/*
 * The verification page: a PDF, a QR code (camera, photo or text) -> one big verdict, then the details.
 * Plain JavaScript, no framework and no build step. Everything from the server is shown with textContent.
 */
(function () {
  "use strict";

  const VERDICTS = {
    VALID: ["有效", "Valid"],
    INVALID: ["无效", "Not valid"],
    INDETERMINATE: ["无法确认", "Cannot tell"],
    NOT_SIGNED: ["未盖章", "Not sealed"],
  };
  const SNAPSHOT_KEY = "yinxin.qr-signers";
  const $ = (id) => document.getElementById(id);
  const documentId = (location.pathname.match(/\/d\/([0-9A-Fa-f-]{1,64})\/?$/) || [])[1] || null;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function list(items, cls) {
    const ul = el("ul");
    for (const item of items) ul.append(el("li", item, cls));
    return ul;
  }
  /* Chinese first, the English beneath it (when the server gave both and they differ) */
  function bilingual(zh, en, tag, cls) {
    const e = el(tag || "span", null, cls);
    e.append(el("span", zh || en || "", "zh"));
    if (zh && en && zh !== en) e.append(el("span", en, "en-line"));
    return e;
  }
  function reasonList(texts, english, map) {
    const shown = map || ((x) => x);
    const ul = el("ul");
    (english || []).forEach((en, i) => ul.append(bilingual(shown((texts || [])[i]), shown(en), "li")));
    return ul;
  }
  function facts(pairs) {
    const dl = el("dl");
    for (const [label, value] of pairs) {
      if (value === undefined || value === null || value === "") continue;
      dl.append(el("dt", label), el("dd", String(value)));
    }
    return dl;
  }
  const when = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) + " (" + iso + ")" : null);

  /* ---------- showing results ---------- */

  function checking(what) {
    const verdict = $("verdict");
    verdict.hidden = false;
    verdict.className = "verdict CHECKING";
    delete verdict.dataset.verdict;
    verdict.replaceChildren(el("span", "正在验证 Checking " + what + " …"));
    $("summary").textContent = "";
    $("problem").hidden = true;
    $("details").replaceChildren();
  }

  function showVerdict(verdict, summary, summaryText) {
    const [zh, en] = VERDICTS[verdict] || [verdict, ""];
    const box = $("verdict");
    box.hidden = false;
    box.className = "verdict " + verdict;
    box.dataset.verdict = verdict;
    box.replaceChildren(el("span", zh + " "), el("span", en, "en"));
    if (summaryText && summaryText !== summary) {
      $("summary").replaceChildren(bilingual(summaryText, summary));
    } else {
      $("summary").textContent = summary || "";
    }
    $("problem").hidden = true;
    $("result").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function showProblem(problem) {
    const box = $("verdict");
    box.hidden = true;
    box.className = "verdict";
    delete box.dataset.verdict;
    $("summary").textContent = "";
    const p = $("problem");
    p.hidden = false;
    p.dataset.type = problem.type || "";
    p.textContent = (PROBLEM_TEXT[slug(problem.type)] || "无法处理 Could not be checked") + ": " + (problem.detail || problem.title || "");
    $("details").replaceChildren();
  }
  const slug = (type) => (type || "").replace("urn:yinxin:problem:", "");
  const PROBLEM_TEXT = {
    "no-qr-code": "照片中未找到二维码 No QR code found in the picture",
    "not-an-image": "不是 PNG 或 JPEG 图片 Not a PNG or JPEG picture",
    "unreadable-image": "图片无法读取 The picture cannot be read",
    "image-too-large": "图片太大 The picture is too large",
    "payload-too-large": "文件太大 The file is too large",
    "not-a-pdf": "不是 PDF 文件 Not a PDF",
    "truncated-pdf": "PDF 文件不完整 The PDF is incomplete",
    "damaged-pdf": "PDF 文件已损坏 The PDF is damaged",
    "encrypted-pdf": "PDF 文件已加密 The PDF is encrypted",
    "empty-body": "没有内容 Nothing was sent",
    "not-an-ofd": "不是 OFD 文件 Not an OFD",
    "damaged-ofd": "OFD 文件已损坏 The OFD is damaged",
    "ofd-unsafe-path": "OFD 文件含有包外路径 The OFD names a path outside its package",
    "ofd-duplicate-entry": "OFD 文件含有重复条目 The OFD holds an entry twice",
    "ofd-xml-doctype": "OFD 文件的 XML 含有文档类型声明 The OFD's XML declares a document type",
    "ofd-too-large": "OFD 文件太大 The OFD is too large",
  };

  function showPdfReport(report) {
    showVerdict(report.verdict, report.summary, report.summaryText);
    const details = $("details");
    details.replaceChildren();
    if (report.licence) {
      /* a licence's file: whether the licence itself is still in force (revoked, expired, replaced) is the registry's
         answer, which the verdict already counts; the clerk is told which licence and why */
      const l = report.licence;
      const card = el("div", null, "card licence");
      card.append(el("h3", "电子证照 Licence"));
      card.append(facts([["证照标识 Licence", l.identifier], ["证照状态 Status", l.status]]));
      card.append(bilingual(l.explanationText, l.explanation, "p", l.status === "VALID" ? "ok" : "bad"));
      details.append(card);
    }
    for (const s of report.signatures || []) {
      const card = el("div", null, "card signature");
      const seal = s.seal;
      const person = s.person;
      const hand = s.handwritten;
      // a seal's, person's or signer's name is the certificate's word: only a signature that held makes it a finding
      const claimed = s.indication === "TOTAL_PASSED" ? "" : "（所称，未确认 as claimed, NOT confirmed）";
      card.append(el("h3", (seal ? seal.name : person ? "个人签名 Personal signature: " + person.name
        : (s.signer ? s.signer.name : "未知签署者 Unknown signer")) + claimed));
      card.append(facts([
        ["签名人 Signed by", person && person.name + " (" + person.residentId + ")"],
        ["手写签名 Handwritten", hand && ((hand.bound ? "已绑定本文件 bound to this document: " : "未绑定 NOT bound: ")
          + hand.strokes + " 笔 strokes, " + when(hand.capturedAt))],
        ["机关 Agency", seal && seal.agency],
        ["统一社会信用代码 USCC", seal && seal.agencyCode],
        ["签署者 Signer", s.signer && s.signer.subject],
        ["证书颁发者 Issued by", s.signer && s.signer.issuer],
        /* a time-stamp proves when; the signer's own clock only claims it (red team 12: the page showed the claim) */
        ["时间戳证明的时间 Time-stamped at", s.timeStampedAt && when(s.timeStampedAt)],
        ["签署者声明的时间 Signing time claimed by the signer", when(s.claimedSigningTime)],
        ["级别 Level", s.format],
        ["结论 Indication", (s.outcomeText ? s.outcomeText + " · " : "") + s.indication + (s.subIndication ? " / " + s.subIndication : "")],
      ]));
      if (hand && hand.svg) {
        // the captured strokes (the check proved the PDF draws exactly these), as an image: no markup of ours runs
        const img = el("img", null, "handwriting");
        img.alt = "手写签名 Handwritten signature";
        img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(hand.svg);
        img.style.maxWidth = "18em";
        img.style.border = "1px solid #ccc";
        card.append(img);
      }
      card.append(el("h4", "理由 Reasons (including revocation)"));
      card.append(reasonList(s.reasonTexts, s.reasons));
      const changes = s.changesAfterSigning || [];
      if (changes.length) {
        card.append(el("h4", "签署后的改动 Changes after signing"));
        const ul = el("ul");
        for (const c of changes) {
          const where = c.page ? " (p. " + c.page + ")" : "";
          ul.append(bilingual((c.allowed ? "允许的改动：" : "不允许的改动：") + (c.descriptionText || c.description) + where,
            (c.allowed ? "Allowed: " : "NOT ALLOWED: ") + c.description + where, "li", c.allowed ? "ok" : "bad"));
        }
        card.append(ul);
        for (const c of changes) {
          if (c.pictures) card.append(pagePictures(c));
        }
      } else if (s.modifiedAfterSigning === false) {
        card.append(el("p", "签署后未改动 Unchanged since signing."));
      } else if (s.modifiedAfterSigning === true) {
        /* no change listed, yet changed: the signed bytes themselves (HASH_FAILURE) */
        card.append(bilingual("签署的内容本身被改动。", "What was signed was itself changed.", "p", "bad"));
      }
      details.append(card);
    }
  }

  /* The page as signed beside the page now, the change outlined in red by the server: a clerk sees what was sealed */
  function pagePictures(change) {
    const figure = el("div", null, "pictures");
    for (const [src, caption] of [[change.pictures.signed, "签署时 As signed"], [change.pictures.now, "现在 Now"]]) {
      const side = el("figure");
      if (typeof src === "string" && src.startsWith("data:image/png;base64,")) {
        const img = el("img");
        img.src = src;
        img.alt = caption + " (p. " + change.page + ")";
        side.append(img);
      } else {
        side.append(el("p", "（无此页 no such page）"));
      }
      side.append(el("figcaption", caption + " · 第 " + change.page + " 页 page " + change.page));
      figure.append(side);
    }
    return figure;
  }

  function showQrAnswer(answer) {
    showVerdict(answer.verdict, answer.summary, answer.summaryText);
    const details = $("details");
    details.replaceChildren();
    if (answer.offline) {
      details.append(el("p", "离线验证：本设备用已保存的信任数据检查了签名。Checked offline on this device with saved trust data.", "warning"));
    }
    const card = el("div", null, "card qr");
    const claims = answer.claims || {};
    const seal = answer.seal || {};
    card.append(el("h3", answer.kind === "licence" ? "电子证照二维码 Licence code"
      : answer.kind === "document" ? "文件二维码 Document code" : "二维码 QR code"));
    card.append(facts([
      ["文件编号 Document", claims.documentId],
      ["证照标识 Licence", claims.identifier],
      ["证照类型代码 Licence type", claims.typeCode],
      /* the licence's own validity, which an officer checks against the day; not the code's (below) */
      ["证照有效期 Licence valid", claims.validFrom || claims.validUntil
        ? (claims.validFrom || "…") + " 至 to " + (claims.validUntil || "长期 no end date") : null],
      ["持证主体 Holder", claims.holderName],
      ["持证人 Holder (officer)", claims.holder && claims.holder.name],
      ["证件号码 ID number (officer)", claims.holder && claims.holder.identityNumber],
      ["个人信息 Personal data", answer.personalData],
      ["印章 Seal", seal.name ? seal.name + (seal.id ? " (" + seal.id + ")" : "") : claims.sealId],
      ["机关 Agency", seal.agency],
      ["统一社会信用代码 USCC", claims.issuer || seal.agencyCode],
      ["印章状态 Seal status", seal.status],
      ["生成时间 Issued at", when(claims.issuedAt)],
      ["二维码有效期至 Code valid until", when(claims.expiresAt)],
      ["验证地址 Verification address", claims.verificationUrl],
      ["签署证书 Signer", answer.signer && answer.signer.subject],
      ["问题类型 Problem", answer.problem && ((answer.problemTitle ? answer.problemTitle + " · " : "") + answer.problem)],
    ]));
    if (documentId && claims.documentId && claims.documentId.toLowerCase() !== documentId.toLowerCase()) {
      card.append(el("p", "注意：此二维码属于另一份文件 " + claims.documentId + "，不是本地址的文件 " + documentId
        + "。Note: this code belongs to another document than this address.", "warning"));
    }
    card.append(el("h4", "理由 Reasons"));
    card.append(reasonList(answer.reasonTexts, answer.reasons));
    details.append(card);
  }

  /* ---------- talking to the verifier ---------- */

  /* ---------- an officer's sign-in (Keycloak, PKCE; /sign-in/sign-in.js) ---------- */

  let signIn = null;

  async function startSignIn() {
    if (!window.YinxinSignIn) return;
    try {
      signIn = await window.YinxinSignIn.start();
    } catch (e) {
      signIn = null; // offline, or the sign-in was refused: the page works without
      return;
    }
    if (signIn.mode !== "keycloak") return;
    $("officer").hidden = false;
    const person = signIn.person;
    if (person) {
      const roles = (person.realm_access && person.realm_access.roles) || [];
      $("officer-who").textContent = (person.name || person.preferred_username)
        + (roles.includes("officer") ? " · 警员 officer" : " · 非警员 not an officer");
      $("officer-sign-in").hidden = true;
      $("officer-sign-out").hidden = false;
      $("officer-purpose").hidden = !roles.includes("officer");
    }
    $("officer-sign-in").addEventListener("click", () => signIn.signIn());
    $("officer-sign-out").addEventListener("click", () => signIn.signOut());
  }

  /** A signed-in officer's purpose (用证事由) and case number, when given: without them the holder stays masked. */
  function purpose() {
    if (!signIn || signIn.mode !== "keycloak" || !signIn.person || $("officer-purpose").hidden) return {};
    const text = $("purpose").value.trim(), caseNumber = $("case-number").value.trim();
    return text || caseNumber ? { purpose: text, caseNumber } : {};
  }

  async function authorization() {
    if (!signIn || signIn.mode !== "keycloak" || !signIn.person) return {};
    try {
      return await signIn.headers();
    } catch (e) {
      $("officer-who").textContent = "登录已过期 Signed out: " + e.message;
      return {};
    }
  }

  async function post(url, body, type) {
    // Chinese first whatever the browser's own language: the page shows the English beneath it
    const headers = Object.assign(type ? { "Content-Type": type } : {}, { "Accept-Language": "zh-CN" },
      await authorization());
    const response = await fetch(url, { method: "POST", headers, body });
    let json = null;
    try { json = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      showProblem(json || { title: "HTTP " + response.status });
      return null;
    }
    return json;
  }

  /* An OFD by its name or its ZIP magic "PK\3\4" (a PDF starts "%PDF"): the server refuses what is neither. */
  async function isOfd(file) {
    if (/\.ofd$/i.test(file.name || "")) return true;
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    return head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
  }

  async function verifyPdf(file) {
    if (!file) return;
    checking(file.name);
    try {
      const ofd = await isOfd(file);
      const report = await post(ofd ? "api/v1/verify/ofd" : "api/v1/verify/pdf", file,
        ofd ? "application/ofd" : "application/pdf");
      if (report) showPdfReport(report);
    } catch (e) {
      showProblem({ title: "无法连接验证服务 The verifier cannot be reached (PDFs are checked on the server)", detail: String(e.message || e) });
    }
  }

  async function verifyText(text) {
    text = (text || "").trim();
    if (!text) return;
    checking("二维码 the code");
    let answer;
    try {
      answer = await post("api/v1/verify/qr", JSON.stringify(Object.assign({ text }, purpose())), "application/json");
    } catch (e) {
      answer = await offline(text);
      if (!answer) return;
    }
    if (answer) showQrAnswer(answer);
  }

  async function offline(text) {
    const saved = localStorage.getItem(SNAPSHOT_KEY);
    if (!saved) {
      showProblem({ title: "离线且没有保存的信任数据 Offline, and no trust data saved on this device", detail: "请联网后再试 Try again with network." });
      return null;
    }
    return window.YinxinQr.verifyOffline(text, JSON.parse(saved));
  }

  async function verifyImage(blob, name) {
    if (!blob) return;
    checking(name || "照片 the picture");
    try {
      const answer = await post("api/v1/verify/qr-image", blob, blob.type || "image/jpeg");
      if (answer) showQrAnswer(answer);
    } catch (e) {
      showProblem({ title: "无法连接验证服务 The verifier cannot be reached", detail: "离线时请使用相机扫描或输入二维码内容 Offline, scan with the camera or type the code's text." });
    }
  }

  /* ---------- trust data freshness, and the snapshot for offline checks ---------- */

  async function loadTrust() {
    const line = $("freshness");
    try {
      const [statusResponse, signersResponse] = await Promise.all([fetch("api/v1/trust-status"), fetch("api/v1/qr-signers")]);
      const cached = statusResponse.headers.get("X-Yinxin-From-Cache") === "true";
      const status = await statusResponse.json();
      const signers = await signersResponse.json();
      if (signersResponse.headers.get("X-Yinxin-From-Cache") !== "true" || !localStorage.getItem(SNAPSHOT_KEY)) {
        localStorage.setItem(SNAPSHOT_KEY, JSON.stringify(signers));
      }
      showFreshness(status, cached);
    } catch (e) {
      const saved = localStorage.getItem(SNAPSHOT_KEY);
      if (saved) {
        const s = JSON.parse(saved);
        line.textContent = "离线 Offline · 使用本设备保存的信任数据 Using the trust data saved on this device ("
          + (s.signers || []).length + " 个印章证书 seal certificates, 获取于 fetched " + when(s.sealsFetchedAt) + ")";
      } else {
        line.textContent = "离线，且本设备没有保存信任数据 Offline, with no trust data saved on this device.";
      }
    }
  }

  function showFreshness(status, fromCache) {
    const line = $("freshness");
    const parts = [];
    const list = status.trustList || {};
    if (list.sequence !== undefined) parts.push("信任列表 Trust list #" + list.sequence + " · 签发 issued " + when(list.issuedAt));
    else parts.push("信任根 Trusted roots: " + status.trustedRoots);
    const seals = status.seals || {};
    if (seals.configured) parts.push("印章证书 Seal certificates: " + seals.count + " · 获取于 fetched " + (when(seals.fetchedAt) || "—"));
    parts.push("最长 Limit " + Math.round(status.maxStalenessSeconds / 86400) + " 天 days");
    parts.push("吊销检查 Revocation: " + status.revocation);
    line.textContent = (fromCache ? "离线 Offline · 使用本设备保存的信任数据 Using the trust data saved on this device · " : "")
      + parts.join(" · ");
    line.classList.toggle("stale", !!status.stale);
    line.dataset.stale = String(!!status.stale);
    if (status.stale) line.textContent = "信任数据过旧 Trust data too old! " + line.textContent;
  }

  /* ---------- the camera ---------- */

  let stream = null, scanning = false;

  async function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      $("photo").click();
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      showProblem({ title: "无法打开相机 The camera cannot be opened", detail: "请改用照片或输入文字 Use a photo or type the text instead. (" + e.name + ")" });
      return;
    }
    const video = $("video");
    video.srcObject = stream;
    $("camera").hidden = false;
    await video.play();
    let detector = null;
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (e) { detector = null; }
    }
    if (detector) {
      $("camera-hint").textContent = "将二维码放在框内，会自动识别 Hold the code in view: it is read by itself";
      $("camera-shoot").hidden = true;
      scanning = true;
      const tick = async () => {
        if (!scanning) return;
        try {
          const codes = await detector.detect(video);
          const code = codes.find((c) => c.rawValue && c.rawValue.startsWith("YX1:")) || codes[0];
          if (code) { stopCamera(); verifyText(code.rawValue); return; }
        } catch (e) { /* try the next frame */ }
        setTimeout(tick, 250);
      };
      tick();
    } else {
      $("camera-hint").textContent = "此浏览器不能直接识别，请对准后拍下 This browser cannot read codes itself: aim and take a picture";
      $("camera-shoot").hidden = false;
    }
  }

  function stopCamera() {
    scanning = false;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $("camera").hidden = true;
  }

  function shoot() {
    const video = $("video");
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    stopCamera();
    canvas.toBlob((blob) => verifyImage(blob, "相机照片 the camera picture"), "image/jpeg", 0.92);
  }

  /* ---------- wiring ---------- */

  function init() {
    if (documentId) {
      $("document-banner").hidden = false;
      $("document-id").textContent = documentId;
    }
    $("file").addEventListener("change", (e) => verifyPdf(e.target.files[0]));
    $("pdf-form").addEventListener("submit", (e) => { e.preventDefault(); verifyPdf($("file").files[0]); });
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      const file = e.dataTransfer.files[0];
      if (file && /^image\//.test(file.type)) verifyImage(file, file.name); else verifyPdf(file);
    });
    $("photo").addEventListener("change", (e) => verifyImage(e.target.files[0], e.target.files[0] && e.target.files[0].name));
    $("text-form").addEventListener("submit", (e) => { e.preventDefault(); verifyText($("qrtext").value); });
    $("camera-start").addEventListener("click", startCamera);
    $("camera-stop").addEventListener("click", stopCamera);
    $("camera-shoot").addEventListener("click", shoot);
    loadTrust();
    startSignIn();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("sw.js").catch(() => { /* the page works without it */ });
    }
  }

  init();
})();
