package cn.yinxin.core.pdf.verify.cms;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Checks an RFC 3161 time-stamp token: its imprint over given bytes, its signature, and its TSA's chain. */
public final class TimeStampCheck {

    /** What a token proves, or why it proves nothing. */
    public record Result(boolean valid, boolean imprintMatches, Instant time, X509Certificate tsa, List<X509Certificate> embedded,
                  String problem) {
    }

    private TimeStampCheck() {
    }

    public static Result check(byte[] tokenDer, byte[] stampedBytes) {
        TimeStampToken token;
        try (ASN1InputStream in = new ASN1InputStream(tokenDer)) {
            token = new TimeStampToken(new CMSSignedData(ContentInfo.getInstance(in.readObject())));
        } catch (Exception e) {
            return new Result(false, false, null, null, List.of(), "the time-stamp is not an RFC 3161 token");
        }
        Instant time = token.getTimeStampInfo().getGenTime().toInstant();
        List<X509Certificate> embedded = new ArrayList<>();
        X509Certificate tsa = null;
        try {
            for (Object holder : token.getCertificates().getMatches(null)) {
                embedded.add(Certificates.bouncyCastle((X509CertificateHolder) holder));
            }
            @SuppressWarnings("unchecked")
            var own = token.getCertificates().getMatches(token.getSID());
            if (!own.isEmpty()) {
                tsa = Certificates.bouncyCastle((X509CertificateHolder) own.iterator().next());
            }
        } catch (Exception e) {
            return new Result(false, false, time, null, embedded, "the time-stamp's certificates cannot be read");
        }
        try {
            String algorithm = token.getTimeStampInfo().getMessageImprintAlgOID().getId();
            byte[] digest = Digests.of(algorithm).digest(stampedBytes);
            if (!MessageDigest.isEqual(digest, token.getTimeStampInfo().getMessageImprintDigest())) {
                return new Result(false, false, time, tsa, embedded, "the time-stamp was made over other bytes");
            }
        } catch (Exception e) {
            return new Result(false, false, time, tsa, embedded, "the time-stamp's digest algorithm is not supported");
        }
        if (tsa == null) {
            return new Result(false, true, time, null, embedded, "the time-stamp does not carry its TSA's certificate");
        }
        try {
            token.validate(SignerVerifiers.of(tsa));
        } catch (Exception e) {
            return new Result(false, true, time, tsa, embedded, "the time-stamp's signature does not verify: " + e.getMessage());
        }
        return new Result(true, true, time, tsa, embedded, null);
    }
}
