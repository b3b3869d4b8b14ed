package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.OfficeScope;
import cn.yinxin.service.security.Roles;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * {@code POST /api/v1/stamp}: multipart form with the PDF ({@code file}), the seal id, the page and the seal's
 * centre in millimetres from the top-left of the page. Answers with the sealed PDF. The requester is learned here,
 * once ({@link Requester#of}); the upload is kept where {@link StampDocuments} decides; the form's fields mean what
 * {@link StampForm} says.
 */
@RestController
public class StampController {

    private final StampService service;
    private final StampRecords records;
    private final StampDocuments documents;
    private final SealStore seals;
    private final OfficeScope scope;
    /** OFD uploads are handed over to their own path at the entry (OfdStampForm, OfdStamping). */
    private final OfdStampForm ofd;

    public StampController(StampService service, StampRecords records, StampDocuments documents, SealStore seals,
                           OfficeScope scope, OfdStampForm ofd) {
        this.service = service;
        this.records = records;
        this.documents = documents;
        this.seals = seals;
        this.scope = scope;
        this.ofd = ofd;
    }

    @PostMapping(path = "/api/v1/stamp", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = {MediaType.APPLICATION_PDF_VALUE, OfdStamping.MEDIA_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public ResponseEntity<?> stamp(@RequestParam(name = "file", required = false) MultipartFile file,
                                        @RequestParam(name = "sealId", required = false) String sealId,
                                        @RequestParam(name = "seals", required = false) String sealsJson,
                                        @RequestParam(name = "page", required = false) Integer page,
                                        @RequestParam(name = "x", required = false) Double xMm,
                                        @RequestParam(name = "y", required = false) Double yMm,
                                        @RequestParam(name = "anchor", required = false) String anchor,
                                        @RequestParam(name = "crossPages", required = false) String crossPages,
                                        @RequestParam(name = "reason", required = false) String reason,
                                        @RequestParam(name = "level", required = false) String level,
                                        @RequestParam(name = "allowLowerLevel", defaultValue = "false") boolean allowLower,
                                        @RequestParam(name = "certify", required = false) Integer certify,
                                        @RequestParam(name = "qr", defaultValue = "false") boolean qr,
                                        @RequestParam(name = "qrX", required = false) Double qrX,
                                        @RequestParam(name = "qrY", required = false) Double qrY,
                                        @RequestParam(name = "national", required = false) Boolean national,
                                        @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                        HttpServletRequest request, HttpServletResponse response)
            throws IOException, GeneralSecurityException {
        if (file == null || file.isEmpty()) {
            throw new RejectedException(Problem.EMPTY_BODY, "Send the PDF as the multipart part 'file'.");
        }
        Requester who = Requester.of(request);
        if (ofd.isOfd(file)) {
            return ofd.stamp(file, new OfdStampForm.Fields(sealId, sealsJson, page, xMm, yMm, anchor, crossPages, reason,
                    level, allowLower, certify, qr || qrX != null || qrY != null, national), idempotencyKey, who);
        }
        if ((qrX == null) != (qrY == null)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Give both qrX and qrY (the QR code's centre in mm), or neither.");
        }
        Pdf pdf = documents.receive(file);
        StampService.Stamped stamped;
        try {
            var orders = StampForm.seals(sealId, sealsJson, page, xMm, yMm, anchor, crossPages, () -> documents.pages(pdf));
            stamped = service.stamp(pdf, new StampService.Order(orders, reason, StampForm.level(level), allowLower,
                    StampForm.certification(certify), qr || qrX != null ? new StampService.QrOrder(qrX, qrY) : null,
                    national), who, idempotencyKey);
        } finally {
            documents.release(pdf);
        }
        return answer(stamped, idempotencyKey, response);
    }

    /**
     * The answer is written on this request's thread, from memory or streamed from the file: a StreamingResponseBody
     * handed it to another thread and dispatched the request through every filter a second time (~10 % of the
     * service's CPU per stamp, docs/benchmarks.md).
     */
    private static ResponseEntity<?> answer(StampService.Stamped stamped, String idempotencyKey,
                                            HttpServletResponse response) throws IOException {
        Pdf result = stamped.pdf();
        var headers = new HttpHeaders();
        headers.set("Idempotent-Replayed", String.valueOf(stamped.replayed()));
        headers.setContentType(MediaType.APPLICATION_PDF);
        headers.setContentLength(result.size());
        headers.set("X-Stamp-Id", String.join(",", stamped.records().stream().map(r -> r.id().toString()).toList()));
        headers.set("X-Signature-Level", stamped.level());
        headers.set("X-Signature-Level-Requested", stamped.requested().label());
        headers.set("Content-Disposition", "attachment; filename=\"sealed.pdf\"");
        if (result instanceof Pdf.InMemory bytes) {
            return ResponseEntity.ok().headers(headers).body(bytes.bytes());
        }
        // a large result: copied from its file to the answer here (no Resource: Spring would honour a Range header
        // on it); a result kept for an Idempotency-Key stays, any other result file goes once it has been sent
        try (var in = result.open()) {
            response.setStatus(200);
            headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            in.transferTo(response.getOutputStream());
        } finally {
            if (idempotencyKey == null) {
                StampDocuments.discard(result);
            }
        }
        return null; // the answer is written (Spring writes nothing for a null ResponseEntity)
    }

    @GetMapping("/api/v1/stamps/{id}")
    public StampRecord record(@PathVariable UUID id, HttpServletRequest http) {
        StampRecord record = records.find(id).orElseThrow(() ->
                new RejectedException(Problem.NOT_FOUND, "There is no stamp record " + id + "."));
        var caller = Caller.current();
        var seal = seals.find(record.sealId());
        // the licence service reads its own stamps; an approval system only the stamps of a seal it may use; a seal
        // administrator those of its own agency's seals (refused and audited otherwise)
        boolean allowed = caller.has(Roles.LICENCE_SERVICE_CLIENT)
                || seal.map(s -> s.listsApprovalSystem(caller)).orElse(false);
        if (!allowed) {
            scope.require(seal.map(s -> s.agencyCode()).orElse(null),
                    Seal.auditSubject(record.sealId()), "read stamp record " + id,
                    Actors.of(http));
        }
        return record;
    }
}
