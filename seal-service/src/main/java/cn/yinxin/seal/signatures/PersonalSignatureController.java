package cn.yinxin.seal.signatures;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.service.audit.SigningRecord;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Personal e-signatures and their signature pad sessions. Everything under {@code /api/v1/personal-signatures/mine}
 * acts for the signed-in person ({@link SignedInPerson}); the pad's own calls under {@code /api/v1/captures/{id}}
 * need no sign-in, the session id being the pad's only key.
 */
@RestController
public class PersonalSignatureController {

    public record SignatureView(UUID id, String name, String residentId, String status, String subject,
                                String certificateIssuer, String certificateSerial, Instant validFrom,
                                Instant validUntil, Instant createdAt, Instant cancelledAt, String chainPem) {
    }

    public record CaptureView(String id, String status, String documentName, String documentSha256,
                              Instant expiresAt, String padUrl, String qrPng) {
    }

    public record PadView(String status, String documentName, String documentSha256, Instant expiresAt) {
    }

    public record UseView(UUID id, UUID signatureId, String documentSha256Before, String documentSha256After,
                          String signatureLevel, int page, double xMm, double yMm, Instant signedAt) {
    }

    private final PersonalSignatures signatures;
    private final Captures captures;
    private final SignedInPerson signedIn;
    private final String padUrl;

    public PersonalSignatureController(PersonalSignatures signatures, Captures captures, SignedInPerson signedIn,
                                       @Value("${yinxin.signatures.pad-url:}") String padUrl) {
        this.signatures = signatures;
        this.captures = captures;
        this.signedIn = signedIn;
        this.padUrl = padUrl;
    }

    /** Apply: the key and the personal certificate for the signed-in person. */
    @PostMapping("/api/v1/personal-signatures")
    public ResponseEntity<SignatureView> apply(HttpServletRequest request) throws GeneralSecurityException {
        PersonalSignature made = signatures.apply(signedIn.of(request));
        return ResponseEntity.status(HttpStatus.CREATED).body(view(made));
    }

    @GetMapping("/api/v1/personal-signatures/mine")
    public SignatureView mine(HttpServletRequest request) {
        return view(signatures.current(signedIn.of(request)));
    }

    /** Cancel (注销): revoke the certificate; the signature signs nothing after this. */
    @PostMapping("/api/v1/personal-signatures/mine/cancellation")
    public SignatureView cancel(HttpServletRequest request) {
        return view(signatures.cancel(signedIn.of(request)));
    }

    /** Every use of the person's signatures, newest first. */
    @GetMapping("/api/v1/personal-signatures/mine/uses")
    public List<UseView> uses(HttpServletRequest request) {
        return signatures.uses(signedIn.of(request)).stream().map(u -> new UseView(u.id(), u.signatureId(),
                u.documentSha256Before(), u.documentSha256After(), u.signatureLevel(), u.page(), u.xMm(), u.yMm(),
                u.signedAt())).toList();
    }

    /**
     * Opens a signature pad session for one document (multipart {@code file}); the answer has the pad's address
     * and a QR code of it (PNG, data URL) for the desk screen.
     */
    @PostMapping(path = "/api/v1/personal-signatures/mine/captures", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<CaptureView> openCapture(@RequestParam(name = "file", required = false) MultipartFile file,
                                                   @RequestParam(name = "validitySeconds", required = false) Long seconds,
                                                   HttpServletRequest request) throws IOException {
        SignedInPerson.Person person = signedIn.of(request);
        byte[] pdf = pdf(file);
        Capture capture = captures.open(person, PersonalSignatures.sha256(pdf), pdf.length,
                file.getOriginalFilename(), seconds == null ? null : Duration.ofSeconds(seconds));
        // unset: the pad is served where this request arrived (a phone must be able to reach that address)
        String base = padUrl == null || padUrl.isBlank() ? ServletUriComponentsBuilder
                .fromCurrentContextPath().path("/sign/pad.html").toUriString() : padUrl;
        String address = base + "#" + capture.id();
        String qr = "data:image/png;base64," + Base64.getEncoder().encodeToString(QrSymbol.encode(address).toPng(6));
        return ResponseEntity.status(HttpStatus.CREATED).body(new CaptureView(capture.id(), capture.status().name(),
                capture.documentName(), capture.documentSha256(), capture.expiresAt(), address, qr));
    }

    /** The pad asks what it is signing (document name and hash, expiry). */
    @GetMapping("/api/v1/captures/{id}")
    public PadView pad(@PathVariable String id) {
        Capture capture = captures.forPad(id);
        return new PadView(capture.status().name(), capture.documentName(), capture.documentSha256(), capture.expiresAt());
    }

    /** The pad sends the strokes: {"pad": [width, height], "strokes": [[x, y, pressure, t, ...], ...]}. */
    @PostMapping(path = "/api/v1/captures/{id}/strokes", consumes = MediaType.APPLICATION_JSON_VALUE)
    public PadView strokes(@PathVariable String id, @RequestBody JsonNode body, HttpServletRequest request) {
        List<Handwriting.Stroke> strokes;
        try {
            strokes = Handwriting.strokes(body.path("strokes"));
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The strokes cannot be read: " + e.getMessage());
        }
        Capture capture = captures.submit(id, body.path("pad").path(0).asInt(0), body.path("pad").path(1).asInt(0),
                strokes, "pad@" + request.getRemoteAddr());
        return new PadView(capture.status().name(), capture.documentName(), capture.documentSha256(), capture.expiresAt());
    }

    /**
     * Use: signs the PDF ({@code file}) with the person's certificate and the handwritten signature captured for it
     * ({@code captureId}), in the empty signature {@code field} of that name (at its size), at
     * {@code page}/{@code x}/{@code y} (the signature's centre, mm from the top-left) or centred on an {@code anchor} text; {@code width}/{@code height} in mm (50 x 20); {@code level} B-T (default),
     * B-LT or B-LTA. Answers with the signed PDF.
     */
    @PostMapping(path = "/api/v1/personal-signatures/mine/uses", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = {MediaType.APPLICATION_PDF_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public ResponseEntity<byte[]> sign(@RequestParam(name = "file", required = false) MultipartFile file,
                                       @RequestParam(name = "captureId", required = false) String captureId,
                                       @RequestParam(name = "page", required = false) Integer page,
                                       @RequestParam(name = "x", required = false) Double xMm,
                                       @RequestParam(name = "y", required = false) Double yMm,
                                       @RequestParam(name = "anchor", required = false) String anchor,
                                       @RequestParam(name = "field", required = false) String field,
                                       @RequestParam(name = "width", defaultValue = "50") double widthMm,
                                       @RequestParam(name = "height", defaultValue = "20") double heightMm,
                                       @RequestParam(name = "level", required = false) String level,
                                       @RequestParam(name = "reason", required = false) String reason,
                                       HttpServletRequest request) throws IOException {
        SignedInPerson.Person person = signedIn.of(request);
        byte[] pdf = pdf(file);
        if (captureId == null || captureId.isBlank()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Name the signature capture: captureId.");
        }
        var signed = signatures.sign(person, pdf, new PersonalSignatures.Order(captureId.strip(),
                placement(page, xMm, yMm, anchor, field), widthMm, heightMm,
                level == null ? SignatureLevel.B_T : SignatureLevel.parse(level), reason),
                SigningRecord.source(request));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header("X-Signature-Level", signed.use().signatureLevel())
                .header("X-Use-Id", signed.use().id().toString())
                .header("Content-Disposition", "attachment; filename=\"signed.pdf\"")
                .body(signed.pdf());
    }

    private static byte[] pdf(MultipartFile file) throws IOException {
        if (file == null || file.isEmpty()) {
            throw new RejectedException(Problem.EMPTY_BODY, "Send the PDF as the multipart part 'file'.");
        }
        return file.getBytes();
    }

    private static SealPlacement placement(Integer page, Double xMm, Double yMm, String anchor, String field) {
        if (field != null) {
            if (xMm != null || yMm != null || anchor != null) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Give a signature field, or x and y, or an anchor "
                        + "text: one of them.");
            }
            return SealPlacement.inField(field.strip());
        }
        if (anchor != null) {
            if (xMm != null || yMm != null) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Give either x and y, or an anchor text, not both.");
            }
            return SealPlacement.atText(page == null ? 0 : page, anchor);
        }
        if (xMm == null || yMm == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Say where the signature goes: x and y in millimetres "
                    + "from the top-left of the page, or an anchor text.");
        }
        return new SealPlacement(page == null ? 1 : page, xMm, yMm);
    }

    private static SignatureView view(PersonalSignature s) {
        return new SignatureView(s.id(), s.name(), SignedInPerson.mask(s.residentId()), s.status().name(), s.subject(),
                s.caIssuer(), s.caSerial(), s.validFrom(), s.validUntil(), s.createdAt(), s.cancelledAt(), s.chainPem());
    }
}
