package cn.yinxin.seal.codes;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.audit.SigningRecord;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import cn.yinxin.service.security.Caller;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Signs compact credentials with a seal's key, which never leaves the seal service: the licence service sends the
 * CWT claims of a licence QR code, a presentation code or a status list (a CBOR map with integer keys) and gets back
 * the signed code ({@code YX1:} text for a QR code) or the COSE_Sign1 token. The caller must be among the seal's users,
 * as for stamping, and may have signed only what {@link SigningPurposes} allows it; every signature and every refusal
 * is audited (a refusal in a transaction of its own, as the request's rolls back).
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
    /** Refusals are kept although the request's own transaction rolls back. */
    private final TransactionTemplate separateTransaction;

    /**
     * The claims of a token: a status list of 10 million licences is a few hundred kilobytes compressed
     * (yinxin.codes.max-token-claims-size, 4MB; the body itself is let through by yinxin.web.larger-bodies).
     */
    private final int maxTokenClaimsBytes;

    public CodeSigningController(SealRegistry seals, AuditLog audit, PlatformTransactionManager transactions,
                                 @Value(
                                         "${yinxin.codes.max-token-claims-size:4MB}")
                                 DataSize maxTokenClaimsSize) {
        this.maxTokenClaimsBytes = (int) Math.min(Integer.MAX_VALUE, maxTokenClaimsSize.toBytes());
        this.seals = seals;
        this.audit = audit;
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The text to print as a QR code: a licence code or a presentation code, for the licence service. */
    @PostMapping(path = "/api/v1/seals/{id}/codes", consumes = CBOR, produces = MediaType.TEXT_PLAIN_VALUE)
    @Transactional
    public ResponseEntity<String> code(@PathVariable String id, @RequestBody byte[] claims, HttpServletRequest http)
            throws GeneralSecurityException {
        Signer signer = signer(id, claims, MAX_CLAIMS_BYTES, http, SigningPurposes.Form.CODE, "seal.sign-code");
        String code = signer.qr().sign(CwtClaims.fromCbor(claims));
        stillUsable(signer, id, claims, http, "seal.sign-code");
        recordSigning(signer, id, claims, code.getBytes(StandardCharsets.US_ASCII), http,
                "seal.sign-code");
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(code);
    }

    /** A signed token (a status list, for the licence service), not compressed, not Base45. */
    @PostMapping(path = "/api/v1/seals/{id}/tokens", consumes = CBOR, produces = CWT)
    @Transactional
    public ResponseEntity<byte[]> token(@PathVariable String id, @RequestBody byte[] claims, HttpServletRequest http)
            throws GeneralSecurityException {
        Signer signer = signer(id, claims, maxTokenClaimsBytes, http, SigningPurposes.Form.TOKEN, "seal.sign-token");
        byte[] token = signer.qr().coseSign1(CwtClaims.fromCbor(claims));
        stillUsable(signer, id, claims, http, "seal.sign-token");
        recordSigning(signer, id, claims, token, http, "seal.sign-token");
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(CWT)).body(token);
    }

    /** The seal's signer, the certificate (issuer/serial) of the key it holds, and the kind of claims it signs. */
    private record Signer(QrSigner qr, String certificate, SigningPurposes.Kind kind, SealRegistry.Usable seal) {
    }

    private Signer signer(String id, byte[] claims, int maxBytes, HttpServletRequest http, SigningPurposes.Form form,
                          String action) {
        if (claims == null || claims.length == 0 || claims.length > maxBytes) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Send the claims as a CBOR map of at most "
                    + maxBytes + " bytes.");
        }
        CwtClaims parsed = CwtClaims.fromCbor(claims);
        Caller caller = Caller.current();
        String digest = SigningRecord.sha256(claims);
        SigningPurposes.Kind kind;
        SealRegistry.Usable usable;
        try {
            // the purpose first: whoever may not have this kind signed learns nothing about the seal
            kind = SigningPurposes.kindOf(parsed);
            SigningPurposes.check(caller, kind, form);
            // any level the client may stamp with will do: signing a code is a use of the seal like a stamp
            usable = seals.usable(id, caller, new SealRegistry.Use(anyLevel(id), false, false, true));
            SigningPurposes.checkIssuer(usable.seal(), kind, parsed);
        } catch (RejectedException e) {
            if (e.problem() == Problem.SIGNING_NOT_PERMITTED || e.problem() == Problem.SEAL_NOT_PERMITTED) {
                separateTransaction.executeWithoutResult(t -> audit.record(Actors.of(http), action + ".refused",
                        Seal.auditSubject(id), "client=" + caller.client() + " claims sha256=" + digest
                                + ": " + e.getMessage()));
            }
            throw e;
        }
        QrSigner signer;
        try {
            signer = new QrSigner(usable.key());
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Seal '" + id + "' cannot sign codes (ES256 needs "
                    + "a P-256 key): " + e.getMessage());
        }
        return new Signer(signer, SigningRecord.certificate(usable.seal().caIssuer(),
                usable.key().certificate().getSerialNumber()), kind, usable);
    }

    /**
     * After signing: the seal was read before, and a suspension, revocation, renewal or removal of the caller's rights
     * that committed since is refused here (409 / 403, no signing record) instead of handing out a code signed after
     * it; the seal's row is held until the commit (CodeSigningRaceTest). Before the signing record, as a stamp does:
     * the seal's row first, then an audit chain, the order of every administrative change, so that none waits for
     * the other's lock in a ring. A refusal here comes after the key signed, so it is audited as
     * {@code <action>.refused} in a transaction of its own.
     */
    private void stillUsable(Signer signer, String id, byte[] claims, HttpServletRequest http, String action) {
        try {
            seals.confirmStillUsable(signer.seal(), Caller.current().client(), "code");
        } catch (RejectedException e) {
            // the seal's key has signed: a use of the seal, kept in the log although nothing is handed out and the
            // request's own transaction rolls back
            separateTransaction.executeWithoutResult(t -> audit.record(Actors.of(http), action + ".refused",
                    Seal.auditSubject(id), "client=" + Caller.current().client() + " claims sha256="
                            + SigningRecord.sha256(claims) + ": signed, not handed out: " + e.getMessage()));
            throw e;
        }
    }

    /**
     * The signing record (签章过程) of a code or token, in the request's transaction: the claims signed and the
     * signed result by SHA-256, with the client, seal, certificate, kind and source. Written after signing, so that a
     * failed signing leaves none; the answer is sent only after it is committed.
     */
    private void recordSigning(Signer signer, String id, byte[] claims, byte[] result, HttpServletRequest http,
                               String action) {
        audit.record(Actors.of(http), action, Seal.auditSubject(id), SigningRecord.of(Caller.current(),
                SigningRecord.source(http), id, signer.certificate(), SigningRecord.sha256(claims), SigningRecord.sha256(result),
                "ES256").details() + " kind=" + signer.kind().label());
    }

    private SignatureLevel anyLevel(String id) {
        var user = seals.get(id).user(Caller.current().client());
        return user == null ? SignatureLevel.B_B : user.levels().iterator().next();
    }
}
