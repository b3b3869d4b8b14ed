package cn.yinxin.seal.keys;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.ses.SesHeader;
import cn.yinxin.core.ses.SesPictureInfo;
import cn.yinxin.core.ses.SesPropertyInfo;
import cn.yinxin.core.ses.SesSealInfo;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The GB/T 38540 seal information of a seal (what the CA's seal maker signs into an SESeal): esID is the seal's
 * id, the picture is the PNG that is stamped (stamp_png) at the seal's printed size, the certList holds the seal's
 * certificate, and the seal is valid exactly while its certificate is.
 */
public final class NationalSeals {

    /** The vendor id written in SES_Header.vid. */
    public static final String VENDOR = "YINXIN";

    private NationalSeals() {
    }

    public static byte[] sealInfo(Seal seal, X509Certificate certificate) {
        try {
            var property = SesPropertyInfo.withCertificates(seal.kind().sesType(), seal.name(),
                    List.of(certificate.getEncoded()), seal.createdAt(), certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant());
            var picture = new SesPictureInfo("PNG", seal.stampPng(), (int) Math.round(seal.widthMm()),
                    (int) Math.round(seal.heightMm()));
            return new SesSealInfo(new SesHeader(VENDOR), seal.id(), property, picture, null).getEncoded("DER");
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalStateException("the seal information cannot be encoded: " + e.getMessage(), e);
        }
    }
}
