/*
 * Checking a signed QR code (YX1:) on the device, without network: the same pipeline as core/qr's QrVerifier
 * (prefix, Base45, zlib when the first byte is 0x78, COSE_Sign1 ES256, CWT claims, times), against the signers the
 * verifier published at GET /api/v1/qr-signers (only seal certificates that chain to its trust anchors), with the
 * seals' statuses as they were then, and the verifier's staleness limit. WebCrypto checks the signature: COSE's
 * raw r||s is WebCrypto's ECDSA format. No library, no build step.
 */
(function () {
  "use strict";

  const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  const DOCUMENT_CLAIM = -65537;
  const LICENCE_CLAIM = -65538;

  class Refusal extends Error {
    constructor(slug, verdict, message) { super(message); this.slug = slug; this.verdict = verdict; }
  }
  const invalid = (message) => new Refusal("qr-invalid", "INVALID", message);

  function base45(text) {
    const out = [];
    for (let i = 0; i < text.length; i += 3) {
      const chunk = text.substring(i, i + 3);
      const values = [...chunk].map((c) => {
        const v = BASE45.indexOf(c);
        if (v < 0) throw invalid("The text after the prefix is not Base45.");
        return v;
      });
      if (values.length === 1) throw invalid("The text after the prefix is not Base45 (dangling character).");
      let n = values[0] + values[1] * 45 + (values.length === 3 ? values[2] * 2025 : 0);
      if (values.length === 3) {
        if (n > 65535) throw invalid("The text after the prefix is not Base45.");
        out.push(n >> 8, n & 0xff);
      } else {
        if (n > 255) throw invalid("The text after the prefix is not Base45.");
        out.push(n);
      }
    }
    return new Uint8Array(out);
  }

  async function inflate(bytes) {
    if (typeof DecompressionStream === "undefined") throw invalid("This browser cannot unpack the code (no DecompressionStream).");
    try {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      const data = new Uint8Array(await new Response(stream).arrayBuffer());
      if (data.length > 16 * 1024) throw invalid("The zlib data inflates to more than 16384 bytes.");
      return data;
    } catch (e) {
      if (e instanceof Refusal) throw e;
      throw invalid("The zlib data is damaged.");
    }
  }

  /* A small CBOR reader (RFC 8949): integers (BigInt beyond 2^53), byte and text strings, arrays, maps, tags
     (content kept, tag dropped), simple values and floats. Maps become Map objects with number or string keys. */
  function cbor(bytes) {
    let at = 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    function need(n) { if (at + n > bytes.length) throw invalid("The CBOR data is truncated."); }
    function argument(info) {
      if (info < 24) return info;
      if (info === 24) { need(1); return bytes[at++]; }
      if (info === 25) { need(2); const v = view.getUint16(at); at += 2; return v; }
      if (info === 26) { need(4); const v = view.getUint32(at); at += 4; return v; }
      if (info === 27) {
        need(8); const v = view.getBigUint64(at); at += 8;
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      throw invalid("Indefinite or reserved CBOR lengths are not used in signed codes.");
    }
    function item(depth) {
      if (depth > 16) throw invalid("The CBOR data is nested too deeply.");
      need(1);
      const first = bytes[at++];
      const major = first >> 5, info = first & 31;
      if (major === 7) {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22 || info === 23) return null;
        if (info === 25) { need(2); const h = view.getUint16(at); at += 2; return half(h); }
        if (info === 26) { need(4); const v = view.getFloat32(at); at += 4; return v; }
        if (info === 27) { need(8); const v = view.getFloat64(at); at += 8; return v; }
        throw invalid("Unsupported CBOR simple value.");
      }
      const n = argument(info);
      switch (major) {
        case 0: return n;
        case 1: return typeof n === "bigint" ? -1n - n : -1 - n;
        case 2: { need(n); const b = bytes.slice(at, at + n); at += n; return b; }
        case 3: { need(n); const t = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(at, at + n)); at += n; return t; }
        case 4: { const a = []; for (let i = 0; i < n; i++) a.push(item(depth + 1)); return a; }
        case 5: {
          const m = new Map();
          for (let i = 0; i < n; i++) {
            const k = item(depth + 1);
            if (m.has(k)) throw invalid("The CBOR map has a duplicate key.");
            m.set(k, item(depth + 1));
          }
          return m;
        }
        case 6: return { tag: n, value: item(depth + 1) };
      }
      throw invalid("Malformed CBOR.");
    }
    const value = item(0);
    if (at !== bytes.length) throw invalid("Trailing bytes after the CBOR data.");
    return value;
  }
  function half(h) {
    const e = (h >> 10) & 31, f = h & 1023, s = h >> 15 ? -1 : 1;
    if (e === 0) return s * Math.pow(2, -14) * (f / 1024);
    if (e === 31) return f ? NaN : s * Infinity;
    return s * Math.pow(2, e - 15) * (1 + f / 1024);
  }
  const untag = (v) => (v && typeof v === "object" && "tag" in v && "value" in v ? untag(v.value) : v);

  /* CBOR encoding of Sig_structure = ["Signature1", protected, h'', payload] (RFC 9052 section 4.4). */
  function head(major, length) {
    if (length < 24) return [(major << 5) | length];
    if (length < 256) return [(major << 5) | 24, length];
    if (length < 65536) return [(major << 5) | 25, length >> 8, length & 0xff];
    return [(major << 5) | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
  }
  function toBeSigned(protectedBytes, payload) {
    const context = new TextEncoder().encode("Signature1");
    const parts = [head(4, 4), head(3, context.length), [...context], head(2, protectedBytes.length), [...protectedBytes],
      head(2, 0), head(2, payload.length), [...payload]];
    return new Uint8Array(parts.flat());
  }

  const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const time = (v) => (typeof v === "number" && Number.isInteger(v) ? new Date(v * 1000) : null);
  const isDay = (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);
  /* The calendar day in China (UTC+8, no daylight saving) at {@code now}, as "yyyy-mm-dd". */
  const chinaDay = (now) => new Date(now.getTime() + 8 * 3600 * 1000).toISOString().substring(0, 10);
  const iso = (d) => (d ? d.toISOString().replace(".000Z", "Z") : null);
  function uuid(bytes) {
    const h = hex(bytes);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  async function decodeAndCheck(text, snapshot, now) {
    const prefix = snapshot.prefix || "YX1:";
    if (!text.startsWith(prefix)) throw invalid(`The text does not start with ${prefix}: it is not a code of this kind.`);
    if (text.length > 4296) throw invalid("The text is longer than any QR code holds.");
    let message = base45(text.substring(prefix.length));
    if (message.length > 0 && message[0] === 0x78) message = await inflate(message);
    const cose = untag(cbor(message));
    if (!Array.isArray(cose) || cose.length !== 4 || !(cose[0] instanceof Uint8Array) || !(cose[2] instanceof Uint8Array)
      || !(cose[3] instanceof Uint8Array)) throw invalid("The code is not a COSE_Sign1 message.");
    const [protectedBytes, unprotected, payload, signature] = cose;
    const header = protectedBytes.length ? cbor(protectedBytes) : new Map();
    if (!(header instanceof Map)) throw invalid("The COSE protected header is not a map.");
    const alg = header.get(1);
    if (alg === undefined) throw invalid("The COSE message names no algorithm in its protected header.");
    if (alg !== -7) throw invalid(`The code is signed with COSE algorithm ${alg}; only ES256 (-7) is accepted.`);
    const kid = header.get(4) || (unprotected instanceof Map ? unprotected.get(4) : undefined);
    if (!(kid instanceof Uint8Array)) throw invalid("The COSE message names no key id.");
    const candidates = (snapshot.signers || []).filter((s) => s.kid === hex(kid));
    if (candidates.length === 0) {
      throw new Refusal("unknown-qr-signer", "INDETERMINATE", `No known signer has key id ${hex(kid)}.`);
    }
    let signer = null;
    if (signature.length === 64) {
      const data = toBeSigned(protectedBytes, payload);
      for (const candidate of candidates) {
        const key = await crypto.subtle.importKey("spki", fromBase64(candidate.publicKey), { name: "ECDSA", namedCurve: "P-256" },
          false, ["verify"]);
        if (await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, data)) { signer = candidate; break; }
      }
    }
    if (!signer) {
      throw new Refusal("qr-signature-invalid", "INVALID",
        `The signature does not verify with the key of the signer with key id ${hex(kid)}.`);
    }
    const claims = untag(cbor(payload));
    if (!(claims instanceof Map)) throw invalid("The signed payload is not a CWT claims map.");
    for (const k of [4, 5, 6]) {
      if (claims.has(k) && !time(claims.get(k))) throw invalid(`Claim ${k} is not a time in whole seconds.`);
    }
    const issued = time(claims.get(6));
    if (!issued) throw invalid("The code carries no issue time (iat).");
    const latest = new Date(now.getTime() + (snapshot.allowedSkewSeconds || 300) * 1000);
    if (issued > latest) throw new Refusal("qr-not-yet-valid", "INDETERMINATE", `The code says it was issued at ${iso(issued)}, after now.`);
    const notBefore = time(claims.get(5));
    if (notBefore && notBefore > latest) throw new Refusal("qr-not-yet-valid", "INDETERMINATE", `The code is valid from ${iso(notBefore)}.`);
    const expires = time(claims.get(4));
    if (expires && now >= expires) throw new Refusal("qr-expired", "INVALID", `The code expired at ${iso(expires)}.`);
    if (issued < new Date(signer.notBefore) || issued > new Date(signer.notAfter)) {
      throw new Refusal("qr-signature-invalid", "INVALID", `The code says it was issued at ${iso(issued)}, outside its signer's certificate validity.`);
    }
    return { signer, claims, issued, expires };
  }

  /* The same answer shape as POST /api/v1/verify/qr, marked offline. */
  async function verifyOffline(text, snapshot, now = new Date()) {
    const findings = [];
    const answer = { offline: true, kind: null, claims: null, signer: null, seal: null, revocation: null,
      validationTime: iso(now), trust: { trustListSequence: snapshot.trustListSequence, trustListIssuedAt: snapshot.trustListIssuedAt,
        sealsFetchedAt: snapshot.sealsFetchedAt, stale: false } };
    findings.push(["VALID", null, `Checked on this device without network, with the verifier's data of ${snapshot.issuedAt}.`]);
    let checked;
    try {
      checked = await decodeAndCheck(text.trim(), snapshot, now);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      findings.push([e.verdict, e.slug, e.message]);
      return finish(answer, findings);
    }
    const { signer, claims, issued, expires } = checked;
    const seal = signer.seal || {};
    answer.signer = { subject: signer.subject, kid: signer.kid, notBefore: signer.notBefore, notAfter: signer.notAfter,
      replacedAt: signer.replacedAt || null };
    answer.seal = seal;
    findings.push(["VALID", null, `The code's signature verifies with the certificate of "${seal.name}", which chains to a trusted root.`]);
    findings.push(["VALID", null, `Issued at ${iso(issued)}` + (expires ? `; valid until ${iso(expires)}.` : "; it does not expire.")]);
    const document = claims.get(DOCUMENT_CLAIM);
    const licence = claims.get(LICENCE_CLAIM);
    if (document instanceof Map) {
      const id = document.get(1);
      if (!(id instanceof Uint8Array) || id.length !== 16 || typeof document.get(2) !== "string" || typeof document.get(3) !== "string") {
        findings.push(["INVALID", "qr-invalid", "The document claim is malformed."]);
      } else {
        answer.kind = "document";
        answer.claims = { documentId: uuid(id), verificationUrl: document.get(2), sealId: document.get(3),
          issuer: claims.get(1), issuedAt: iso(issued), expiresAt: iso(expires) };
        if (seal.id && seal.id !== document.get(3)) {
          findings.push(["INVALID", "qr-claims-mismatch", `The code names seal "${document.get(3)}" but was signed with the key of seal "${seal.id}".`]);
        }
      }
    } else if (licence instanceof Map) {
      answer.kind = "licence";
      answer.claims = { identifier: licence.get(1), typeCode: licence.get(2), holderName: licence.get(3),
        maskedHolderNumber: licence.get(4), validFrom: licence.get(5), validUntil: licence.get(6) || null,
        issuer: claims.get(1), issuedAt: iso(issued), expiresAt: iso(expires) };
      // the licence's own dates, as the verifier's QrCheck reads them (China's calendar day): a code that verifies
      // says nothing of a licence whose validity ended or has not begun (without a status list it was VALID here)
      const from = licence.get(5), until = licence.get(6), today = chinaDay(now);
      if (!isDay(from) || (until !== undefined && until !== null && !isDay(until))) {
        findings.push(["INVALID", "qr-invalid", "The licence claim is malformed: its validity is not a date."]);
      } else {
        if (until && until < today) findings.push(["INVALID", "qr-expired", `The licence was valid until ${until}.`]);
        if (from > today) findings.push(["INDETERMINATE", "qr-not-yet-valid", `The licence is valid from ${from}, not yet.`]);
      }
      if (claims.has(65535)) {
        findings.push(["INDETERMINATE", "licence-status-unchecked", "The licence's status list entry is not checked by this verifier yet."]);
      }
    } else {
      findings.push(["INDETERMINATE", "qr-unknown-content", "The code is genuinely signed but carries neither a document nor a licence claim: nothing to confirm."]);
    }
    if (signer.replacedAt) {
      const replaced = new Date(signer.replacedAt);
      if (isNaN(replaced.getTime())) {
        findings.push(["INDETERMINATE", "qr-signer-replaced", "The seal's earlier certificate says it was replaced, but not readably when."]);
      } else if (issued > new Date(replaced.getTime() + (snapshot.allowedSkewSeconds || 300) * 1000)) {
        findings.push(["INVALID", "qr-signer-replaced", `The code was signed with a certificate the seal replaced at ${iso(replaced)} (renewal; its key was destroyed then), but says it was made later, at ${iso(issued)}.`]);
      } else {
        findings.push(["VALID", null, `Signed with the seal's earlier certificate, which it had until a renewal at ${iso(replaced)}; the code says it was made before that.`]);
      }
    }
    if (claims.get(1) && seal.agencyCode && claims.get(1) !== seal.agencyCode) {
      findings.push(["INVALID", "qr-claims-mismatch", `The code names issuer ${claims.get(1)} but was signed with the seal of ${seal.agency} (${seal.agencyCode}).`]);
    }
    answer.revocation = { state: "UNAVAILABLE", source: "offline", sealStatus: seal.status || null, sealStatusChangedAt: seal.statusChangedAt || null };
    if (seal.status === "REVOKED") {
      const at = seal.statusChangedAt ? new Date(seal.statusChangedAt) : null;
      findings.push([!at || at <= issued ? "INVALID" : "INDETERMINATE", "qr-signer-revoked",
        `The seal was revoked${at ? " at " + iso(at) : ""}, says the seal service.`]);
    } else if (seal.status === "SUSPENDED") {
      findings.push(["INDETERMINATE", "qr-signer-suspended", `The seal "${seal.name}" is suspended: its codes cannot be confirmed while it is.`]);
    } else {
      findings.push(["VALID", null, `The seal service listed the seal as ${seal.status} at ${snapshot.sealsFetchedAt}.`]);
    }
    const limit = (snapshot.maxStalenessSeconds || 604800) * 1000;
    const listAge = snapshot.trustListIssuedAt ? now - new Date(snapshot.trustListIssuedAt) : 0;
    const sealAge = snapshot.sealsFetchedAt ? now - new Date(snapshot.sealsFetchedAt) : 0;
    if (listAge > limit || sealAge > limit) {
      answer.trust.stale = true;
      findings.push(["INDETERMINATE", "trust-data-too-old", `Trust data too old: this device last got the seal certificates and statuses at ${snapshot.sealsFetchedAt}` +
        (snapshot.trustListIssuedAt ? ` (trust list issued at ${snapshot.trustListIssuedAt})` : "") + `, more than ${Math.round(limit / 86400000)} days ago.`]);
    }
    return finish(answer, findings);
  }

  function finish(answer, findings) {
    let verdict = "VALID", slug = null, summary = "The code is genuine: signed by a trusted seal, which was not revoked as far as this device knows.";
    for (const level of ["INVALID", "INDETERMINATE"]) {
      const first = findings.find((f) => f[0] === level);
      if (first) { verdict = level; slug = first[1]; summary = first[2]; break; }
    }
    return Object.assign(answer, { verdict, problem: slug ? "urn:yinxin:problem:" + slug : null, summary,
      reasons: findings.map((f) => f[2]) });
  }

  window.YinxinQr = { verifyOffline, base45, cbor };
})();
