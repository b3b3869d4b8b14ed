package cn.yinxin.licence.sealing;

import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.ses.SESeal;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seal service in memory, for fast tests of what the licence service decides: seals held in a map, signing and
 * sealing done in this JVM by core (B-B, no time-stamp: there is no TSA here), an unknown seal refused as the real
 * service refuses it (404, {@link SealService.Refused}), and every call written down with its signing source.
 */
public final class InMemorySealService implements SealService {

    /**
     * A seal as the double keeps it: {@code key}, {@code image} and {@code nationalSeal} may be null when a test needs
     * no signing; {@code national} says whether the seal service would have a GB/T 38540 seal for it.
     */
    public record Held(SealInfo info, SealKey key, byte[] image, SESeal nationalSeal, boolean national) {

        public Held(SealInfo info, SealKey key, byte[] image, SESeal nationalSeal) {
            this(info, key, image, nationalSeal, nationalSeal != null);
        }
    }

    /** One call: what was asked, of which seal, for which source (SealService.from). */
    public record Call(String what, String sealId, String source) {
    }

    private final Map<String, Held> seals = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Clock clock;

    public InMemorySealService(Clock clock) {
        this.clock = clock;
    }

    public InMemorySealService add(Held seal) {
        seals.put(seal.info().id(), seal);
        return this;
    }

    /** A seal that can be read but not used to sign. */
    public InMemorySealService add(String id, String agencyCode, boolean national) {
        return add(new Held(new SealInfo(id, id, "agency " + agencyCode, agencyCode, "ACTIVE"), null, null, null,
                national));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public SealInfo seal(String sealId) {
        return held("read seal", sealId).info();
    }

    @Override
    public boolean hasNationalSeal(String sealId) {
        return held("read the GB/T 38540 seal", sealId).national();
    }

    @Override
    public String signCode(String sealId, CwtClaims claims) {
        Held seal = signing("sign a QR code", sealId);
        try {
            return new QrSigner(seal.key()).sign(claims);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] signToken(String sealId, CwtClaims claims) {
        Held seal = signing("sign a status list", sealId);
        try {
            return new QrSigner(seal.key()).coseSign1(claims);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] stamp(String sealId, byte[] pdf, int page, double xMm, double yMm, String level, String reason) {
        Held seal = signing("seal the licence PDF", sealId);
        try {
            return new PdfSealer().seal(pdf, new SealRequest(seal.key(), new SealAppearance(seal.image(), 40, 40),
                    new SealPlacement(page, xMm, yMm), seal.info().name(), reason, clock.instant(), SignatureLevel.B_B,
                    null));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] stampOfd(String sealId, byte[] ofd, int page, double xMm, double yMm, String level, String reason) {
        Held seal = signing("seal the licence OFD", sealId);
        if (seal.nationalSeal() == null) {
            throw new Refused("The seal service refused to seal the licence OFD (HTTP 409): seal " + sealId
                    + " has no GB/T 38540 seal");
        }
        try {
            return new OfdSealer(null).seal(ofd, new OfdSealRequest(seal.nationalSeal(), seal.key(),
                    new SealPlacement(page, xMm, yMm), clock.instant()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Held held(String what, String sealId) {
        calls.add(new Call(what, sealId, SigningSource.current()));
        Held seal = seals.get(sealId);
        if (seal == null) {
            throw new Refused("The seal service refused to " + what + " (HTTP 404): no seal " + sealId);
        }
        return seal;
    }

    private Held signing(String what, String sealId) {
        Held seal = held(what, sealId);
        if (seal.key() == null) {
            throw new IllegalStateException("the test gave seal " + sealId + " no key to sign with");
        }
        return seal;
    }
}
