package cn.yinxin.core.ses;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERUTCTime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/** Small ASN.1 helpers for the seal structures. */
final class Asn1 {

    private Asn1() {
    }

    static void size(ASN1Sequence sequence, int min, int max, String name) {
        if (sequence.size() < min || sequence.size() > max) {
            throw new IllegalArgumentException(name + " has " + sequence.size() + " elements, not " + min
                    + (min == max ? "" : ".." + max));
        }
    }

    static DERGeneralizedTime time(Instant instant) {
        return new DERGeneralizedTime(Date.from(instant.truncatedTo(ChronoUnit.SECONDS)));
    }

    /** A UTCTime, as GM/T 0031-2014 (v1) writes its dates. */
    static DERUTCTime utcTime(Instant instant) {
        return new DERUTCTime(Date.from(instant.truncatedTo(ChronoUnit.SECONDS)));
    }

    static Instant instant(ASN1Encodable time) {
        try {
            return ASN1GeneralizedTime.getInstance(time).getDate().toInstant();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a GeneralizedTime: " + e.getMessage(), e);
        }
    }

    /** A UTCTime (v1 dates; years 1950..2049). */
    static Instant utcInstant(ASN1Encodable time) {
        try {
            return ASN1UTCTime.getInstance(time).getAdjustedDate().toInstant();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a UTCTime: " + e.getMessage(), e);
        }
    }

    /** The bits of a BIT STRING with no unused bits (a signature value, a hash). */
    static byte[] octets(ASN1Encodable bits) {
        ASN1BitString string = ASN1BitString.getInstance(bits);
        if (string.getPadBits() != 0) {
            throw new IllegalArgumentException("a BIT STRING with " + string.getPadBits() + " unused bits");
        }
        return string.getOctets();
    }

    static byte[] der(ASN1Object object) {
        try {
            return object.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
