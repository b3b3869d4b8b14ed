package cn.yinxin.seal.stamp;

import cn.yinxin.core.pdf.PdfSealer;
import cn.yinxin.core.pdf.SealPlacement;
import cn.yinxin.core.pdf.SealRequest;
import cn.yinxin.seal.seal.Seal;
import cn.yinxin.seal.seal.SealRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/** Stamps a PDF with a seal and keeps the record of it. */
@Service
public class StampService {

    /** The only level this service reaches until the TSA and revocation data arrive (CA issue). */
    public static final String LEVEL = "PAdES-BASELINE-B";

    public record Stamped(byte[] pdf, StampRecord record) {
    }

    private final SealRegistry seals;
    private final StampRecords records;
    private final PdfSealer sealer = new PdfSealer();
    private final Clock clock;

    public StampService(SealRegistry seals, StampRecords records) {
        this.seals = seals;
        this.records = records;
        this.clock = Clock.systemUTC();
    }

    /** Either the sealed PDF together with its stored record, or an exception and nothing stored. */
    @Transactional
    public Stamped stamp(byte[] pdf, String sealId, SealPlacement placement, String reason, String caller)
            throws GeneralSecurityException {
        Seal seal = seals.usable(sealId);
        Instant now = clock.instant();
        byte[] sealed = sealer.seal(pdf, new SealRequest(seal.key(), seal.appearance(), placement, seal.name(),
                reason, now));
        StampRecord record = new StampRecord(UUID.randomUUID(), seal.id(), caller, sha256(pdf), sha256(sealed), LEVEL,
                placement.page(), placement.xMm(), placement.yMm(), now);
        records.add(record);
        return new Stamped(sealed, record);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
