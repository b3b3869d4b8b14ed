package cn.yinxin.ca.seseal;

import cn.yinxin.ca.certificates.CertificateStore;
import cn.yinxin.ca.certificates.IssuedCertificate;
import cn.yinxin.ca.hierarchy.CaKeysConfiguration;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.core.ses.SesHeader;
import cn.yinxin.core.ses.SesPropertyInfo;
import cn.yinxin.core.ses.SesSealInfo;
import cn.yinxin.service.audit.AuditLog;
import org.bouncycastle.asn1.ASN1Primitive;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The seal-making authority (GB/T 38540 制章者): signs the seal information a seal service sends, after checking
 * that it is a v4 SES_SealInfo whose certList names only SM2 certificates this CA issued and that are good, and
 * whose validity lies within theirs. The SM2 key never leaves the CA's key store; only whole seals are signed
 * (not arbitrary bytes), and each is audited.
 */
@Service
public class SealMaking {

    private final CaKeysConfiguration.SealMakerKey maker;
    private final CertificateStore certificates;
    private final AuditLog audit;

    public SealMaking(CaKeysConfiguration.SealMakerKey maker, CertificateStore certificates, AuditLog audit) {
        this.maker = maker;
        this.certificates = certificates;
        this.audit = audit;
    }

    public SealKey key() {
        return maker.key().orElseThrow(() -> new RejectedException(Problem.SEAL_MAKER_UNAVAILABLE,
                "This CA has no seal maker key: " + maker.why()));
    }

    @Transactional
    public SESeal make(byte[] sealInfoDer, String actor) throws GeneralSecurityException {
        SealKey key = key();
        SesSealInfo info;
        try {
            info = SesSealInfo.getInstance(ASN1Primitive.fromByteArray(sealInfoDer));
        } catch (Exception e) {
            throw new RejectedException(Problem.INVALID_SEAL_INFO, "The body is not a DER SES_SealInfo: " + e.getMessage());
        }
        SesHeader header = info.header();
        if (!SesHeader.ID.equals(header.id()) || header.version() != SesHeader.VERSION) {
            throw new RejectedException(Problem.INVALID_SEAL_INFO, "Only GB/T 38540 v4 seals (\"ES\", version 4) are made.");
        }
        SesPropertyInfo property = info.property();
        if (property.certListType() != SesPropertyInfo.CERTS || property.certs().isEmpty()) {
            throw new RejectedException(Problem.INVALID_SEAL_INFO, "The certList must name the signers' certificates.");
        }
        if (info.picture().data().length == 0) {
            throw new RejectedException(Problem.INVALID_SEAL_INFO, "The seal has no picture.");
        }
        StringBuilder signers = new StringBuilder();
        for (byte[] der : property.certs()) {
            X509Certificate certificate = certificate(der);
            if (!Sm2Signatures.isSm2(certificate.getPublicKey())) {
                throw new RejectedException(Problem.INVALID_SEAL_INFO, "GB/T 38540 seals are used with SM2 keys; "
                        + certificate.getSubjectX500Principal().getName() + " is not one.");
            }
            String serial = CertificateStore.serial(certificate.getSerialNumber());
            IssuedCertificate issued = certificates.find(CaHierarchy.SEAL_CA, serial)
                    .filter(c -> Arrays.equals(c.der(), der)).orElseThrow(() -> new RejectedException(
                            Problem.INVALID_SEAL_INFO, "Certificate " + serial + " was not issued by the agency seal CA."));
            if (!"GOOD".equals(issued.status())) {
                throw new RejectedException(Problem.INVALID_SEAL_INFO, "Certificate " + serial + " is " + issued.status() + ".");
            }
            if (property.validStart().isBefore(issued.notBefore()) || property.validEnd().isAfter(issued.notAfter())) {
                throw new RejectedException(Problem.INVALID_SEAL_INFO, "The seal's validity " + property.validStart()
                        + " .. " + property.validEnd() + " lies outside certificate " + serial + "'s.");
            }
            signers.append(serial).append(' ');
        }
        SESeal seal = SealMaker.sign(info, key);
        audit.record(actor, "seseal made", "seseal:" + info.esId(), "name=" + property.name() + " vid=" + header.vid()
                + " signers=" + signers.toString().strip() + " valid=" + property.validStart() + ".." + property.validEnd()
                + " picture=" + info.picture().type() + " sm3=" + HexFormat.of().formatHex(sm3(info.picture().data())));
        return seal;
    }

    private static byte[] sm3(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data);
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new RejectedException(Problem.INVALID_SEAL_INFO, "A certList entry is not a certificate.");
        }
    }
}
