package cn.yinxin.seal.codes;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.SignatureLevel;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.seal.seal.SealAdministration;
import cn.yinxin.seal.seal.SealRegistry;
import cn.yinxin.seal.seal.SealsProperties;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.audit.SigningRecord;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import cn.yinxin.service.security.Caller;
import java.security.GeneralSecurityException;

/**
 * Signs compact credentials with a seal's key, which never leaves the seal service: the licence service sends the
 * CWT claims of a licence QR code or of a status list (a CBOR map with integer keys) and gets back the signed
 * code ({@code YX1:} text for a QR code) or the COSE_Sign1 token. The caller must be among the seal's users, as
 * for stamping; every signature is audited.
 */
@RestController
public class CodeSigningController {

    public static final String CBOR = "application/cbor";
    /** A COSE_Sign1-wrapped CWT (RFC 8392 section 9.1). */
    public static final String CWT = "application/cwt";
    /** The claims of a QR code: a code holds at most a few kilobytes. */
    private static final int MAX_CLAIMS_BYTES = 16 * 1024;

    private final SealRegistry seals;
    private final AuditLog audit;

    /**
     * The claims of a token: a status list of 10 million licences is a few hundred kilobytes compressed
     * (yinxin.codes.max-token-claims-size, 4MB; the body itself is let through by yinxin.web.larger-bodies).
     */
    private final int maxTokenClaimsBytes;

    public CodeSigningController(SealRegistry seals, AuditLog audit, SealsProperties properties,
                                 @org.springframework.beans.factory.annotation.Value(
                                         "${yinxin.codes.max-token-claims-size:4MB}")
                                 org.springframework.util.unit.DataSize maxTokenClaimsSize) {
        this.maxTokenClaimsBytes = (int) Math.min(Integer.MAX_VALUE, maxTokenClaimsSize.toBytes());
        this.seals = seals;
        this.audit = audit;
    }

    /** The text to print as a QR code. */
    @PostMapping(path = "/api/v1/seals/{id}/codes", consumes = CBOR, produces = MediaType.TEXT_PLAIN_VALUE)
    @Transactional
    public ResponseEntity<String> code(@PathVariable String id, @RequestBody byte[] claims, HttpServletRequest http)
            throws GeneralSecurityException {
        Signer signer = signer(id, claims, MAX_CLAIMS_BYTES, http);
        String code = signer.qr().sign(CwtClaims.fromCbor(claims));
        recordSigning(signer, id, claims, code.getBytes(java.nio.charset.StandardCharsets.US_ASCII), http,
                "seal.sign-code");
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(code);
    }

    /** A signed token (e.g. a status list), not compressed, not Base45. */
    @PostMapping(path = "/api/v1/seals/{id}/tokens", consumes = CBOR, produces = CWT)
    @Transactional
    public ResponseEntity<byte[]> token(@PathVariable String id, @RequestBody byte[] claims, HttpServletRequest http)
            throws GeneralSecurityException {
        Signer signer = signer(id, claims, maxTokenClaimsBytes, http);
        byte[] token = signer.qr().coseSign1(CwtClaims.fromCbor(claims));
        recordSigning(signer, id, claims, token, http, "seal.sign-token");
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(CWT)).body(token);
    }

    /** The seal's signer and the certificate (issuer/serial) of the key it holds. */
    private record Signer(QrSigner qr, String certificate) {
    }

    private Signer signer(String id, byte[] claims, int maxBytes, HttpServletRequest http) {
        if (claims == null || claims.length == 0 || claims.length > maxBytes) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Send the claims as a CBOR map of at most "
                    + maxBytes + " bytes.");
        }
        CwtClaims.fromCbor(claims);
        // any level the client may stamp with will do: signing a code is a use of the seal like a stamp
        var usable = seals.usable(id, Caller.current(), new SealRegistry.Use(anyLevel(id), false, false, true));
        QrSigner signer;
        try {
            signer = new QrSigner(usable.key());
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Seal '" + id + "' cannot sign codes (ES256 needs "
                    + "a P-256 key): " + e.getMessage());
        }
        return new Signer(signer, SigningRecord.certificate(usable.seal().caIssuer(),
                usable.key().certificate().getSerialNumber()));
    }

    /**
     * The signing record (签章过程) of a code or token, in the request's transaction: the claims signed and the
     * signed result by SHA-256, with the client, seal, certificate and source. Written after signing, so that a
     * failed signing leaves none; the answer is sent only after it is committed.
     */
    private void recordSigning(Signer signer, String id, byte[] claims, byte[] result, HttpServletRequest http,
                               String action) {
        audit.record(Actors.of(http), action, SealAdministration.subject(id), SigningRecord.of(Caller.current(),
                SigningRecord.source(http), id, signer.certificate(), SigningRecord.sha256(claims), SigningRecord.sha256(result),
                "ES256").details());
    }

    private SignatureLevel anyLevel(String id) {
        var user = seals.get(id).user(Caller.current().client());
        return user == null ? SignatureLevel.B_B : user.levels().iterator().next();
    }
}
