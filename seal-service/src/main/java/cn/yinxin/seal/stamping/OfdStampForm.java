package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;

/**
 * The OFD side of {@code POST /api/v1/stamp}: which uploads are OFDs, what the form's fields mean for one, and the
 * answer. The same fields as for a PDF (sealId and page/x/y, anchor or crossPages, or seals as a JSON list; reason,
 * level, allowLowerLevel; Idempotency-Key); the PDF-only ones (certify, a QR code, national=false) are refused,
 * not ignored, so that a client never believes it got what an OFD seal cannot give.
 */
@Component
public class OfdStampForm {

    /** The form fields of a stamp request, as StampController received them. */
    public record Fields(String sealId, String sealsJson, Integer page, Double xMm, Double yMm, String anchor,
                         String crossPages, String reason, String level, boolean allowLower, Integer certify,
                         boolean qr, Boolean national) {
    }

    private static final byte[] OFD_XML = "OFD.xml".getBytes(StandardCharsets.US_ASCII);

    private final OfdStamping stamping;

    public OfdStampForm(OfdStamping stamping) {
        this.stamping = stamping;
    }

    /**
     * An OFD when its part says {@value OfdStamping#MEDIA_TYPE}, or when it is a ZIP (magic PK\3\4) that names an
     * entry OFD.xml (GB/T 33190 7.2: the one fixed name). Anything else goes on as a PDF. Only the first four bytes
     * of a large upload are read unless it is a ZIP, so a large PDF stays out of the heap as before.
     */
    public boolean isOfd(MultipartFile file) throws IOException {
        String type = file.getContentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith(OfdStamping.MEDIA_TYPE)) {
            return true;
        }
        byte[] magic;
        try (InputStream in = file.getInputStream()) {
            magic = in.readNBytes(4);
        }
        if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
            return false;
        }
        return contains(file.getBytes(), OFD_XML);
    }

    public ResponseEntity<byte[]> stamp(MultipartFile file, Fields fields, String idempotencyKey, Requester who)
            throws IOException, GeneralSecurityException {
        refusePdfOnly(fields);
        byte[] ofd = file.getBytes();
        List<StampService.SealOrder> seals = StampForm.seals(fields.sealId(), fields.sealsJson(), fields.page(),
                fields.xMm(), fields.yMm(), fields.anchor(), fields.crossPages(), () -> stamping.pages(ofd));
        OfdStamping.Stamped stamped = stamping.stamp(ofd, new OfdStamping.Order(seals, fields.reason(),
                StampForm.level(fields.level()), fields.allowLower()), who, idempotencyKey);
        byte[] result = stamped.ofd();
        // written on the request's thread from memory (a StreamingResponseBody would dispatch the request through
        // every filter a second time: StampController, docs/benchmarks.md)
        return ResponseEntity.ok()
                .header("Idempotent-Replayed", String.valueOf(stamped.replayed()))
                .contentType(MediaType.parseMediaType(OfdStamping.MEDIA_TYPE))
                .contentLength(result.length)
                .header("X-Stamp-Id", String.join(",", stamped.records().stream().map(r -> r.id().toString()).toList()))
                .header("X-Signature-Level", stamped.level())
                .header("X-Signature-Level-Requested", stamped.requested().label())
                .header("Content-Disposition", "attachment; filename=\"sealed.ofd\"")
                .body(result);
    }

    private static void refusePdfOnly(Fields fields) {
        if (fields.certify() != null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "certify (PDF DocMDP) has no meaning for an OFD: "
                    + "a GB/T 38540 seal leaves the document open for further seals.");
        }
        if (fields.qr()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A QR code is added to PDF stamps only; an OFD "
                    + "is stamped without one.");
        }
        if (Boolean.FALSE.equals(fields.national())) {
            throw new RejectedException(Problem.INVALID_REQUEST, "An OFD is sealed with a GB/T 38540 seal only: "
                    + "national=false cannot be given for an OFD.");
        }
    }

    private static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
