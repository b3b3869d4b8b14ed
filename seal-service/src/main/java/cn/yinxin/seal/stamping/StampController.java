package cn.yinxin.seal.stamping;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.service.audit.Actors;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.SealPlacement;
import cn.yinxin.core.pdf.SignatureLevel;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/stamp}: multipart form with the PDF ({@code file}), the seal id, the page and the seal's
 * centre in millimetres from the top-left of the page. Answers with the sealed PDF.
 */
@RestController
public class StampController {

    private final StampService service;
    private final StampRecords records;
    private final DataSize inMemoryMaxSize;
    private final Path results;
    private final cn.yinxin.seal.registry.SealStore seals;
    private final cn.yinxin.service.security.OfficeScope scope;
    /** OFD uploads are handed over to their own path at the entry (OfdStampForm, OfdStamping). */
    @org.springframework.beans.factory.annotation.Autowired
    private OfdStampForm ofd;

    public StampController(StampService service, StampRecords records,
                           @Value("${yinxin.stamp.in-memory-max-size:16MB}") DataSize inMemoryMaxSize,
                           @Value("${yinxin.stamp.results-dir:var/seal-service/results}") Path results,
                           cn.yinxin.seal.registry.SealStore seals, cn.yinxin.service.security.OfficeScope scope)
            throws IOException {
        this.service = service;
        this.records = records;
        this.seals = seals;
        this.scope = scope;
        this.inMemoryMaxSize = inMemoryMaxSize;
        this.results = Files.createDirectories(results);
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
                                        HttpServletRequest request,
                                        jakarta.servlet.http.HttpServletResponse response)
            throws IOException, GeneralSecurityException {
        if (file == null || file.isEmpty()) {
            throw new RejectedException(Problem.EMPTY_BODY, "Send the PDF as the multipart part 'file'.");
        }
        if (ofd.isOfd(file)) {
            return ofd.stamp(file, new OfdStampForm.Fields(sealId, sealsJson, page, xMm, yMm, anchor, crossPages, reason,
                    level, allowLower, certify, qr || qrX != null || qrY != null, national), idempotencyKey, request);
        }
        String caller = Actors.of(request);
        if ((qrX == null) != (qrY == null)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Give both qrX and qrY (the QR code's centre in mm), or neither.");
        }
        // large documents go through temporary files, so that the heap stays bounded whatever their size
        Path upload = null;
        Pdf pdf;
        if (file.getSize() > inMemoryMaxSize.toBytes()) {
            upload = Files.createTempFile(results, "upload-", ".pdf");
            file.transferTo(upload);
            pdf = new Pdf.InFile(upload);
        } else {
            pdf = new Pdf.InMemory(file.getBytes());
        }
        StampService.Stamped stamped;
        try {
            List<StampService.SealOrder> seals;
            if (sealsJson != null) {
                if (sealId != null || xMm != null || yMm != null || anchor != null || crossPages != null) {
                    throw new RejectedException(Problem.INVALID_REQUEST,
                            "Give either seals (a JSON list) or one sealId with its placement, not both.");
                }
                seals = SealsParameter.parse(sealsJson);
            } else {
                if (sealId == null) {
                    throw new RejectedException(Problem.INVALID_REQUEST, "Name the seal: sealId, or seals for several.");
                }
                var where = crossPages == null ? placement(page, xMm, yMm, anchor) : acrossPages(crossPages, yMm, pdf);
                seals = List.of(new StampService.SealOrder(sealId, where));
            }
            stamped = service.stamp(pdf, new StampService.Order(seals, reason, level(level), allowLower,
                    certification(certify), qr || qrX != null ? new StampService.QrOrder(qrX, qrY) : null, national),
                    caller, idempotencyKey, cn.yinxin.service.audit.SigningRecord.source(request));
        } finally {
            if (upload != null) {
                Files.deleteIfExists(upload);
            }
        }
        Pdf result = stamped.pdf();
        // the answer is written on this request's thread, from memory or streamed from the file: a
        // StreamingResponseBody handed it to another thread and dispatched the request through every filter a second
        // time (~10 % of the service's CPU per stamp, docs/benchmarks.md)
        var headers = new org.springframework.http.HttpHeaders();
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
                StampService.discard(result);
            }
        }
        return null; // the answer is written (Spring writes nothing for a null ResponseEntity)
    }

    /** Either x and y in mm on a page (default 1), or an anchor text (on the page given, else the first with it). */
    static SealPlacement placement(Integer page, Double xMm, Double yMm, String anchor) {
        if (anchor != null) {
            if (xMm != null || yMm != null) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Give either x and y, or an anchor text, not both.");
            }
            return SealPlacement.atText(page == null ? 0 : page, anchor);
        }
        if (xMm == null || yMm == null) {
            throw new RejectedException(Problem.INVALID_REQUEST,
                    "Say where the seal goes: x and y in millimetres from the top-left of the page, or an anchor text.");
        }
        return new SealPlacement(page == null ? 1 : page, xMm, yMm);
    }

    /** "all" or a list such as "1,2,5": the pages of a cross-page seal, its centre y mm from the top. */
    static SealPlacement acrossPages(String pages, Double yMm, Pdf pdf) {
        if (yMm == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A cross-page seal needs y, its centre in mm from the top.");
        }
        List<Integer> numbers = new ArrayList<>();
        if ("all".equalsIgnoreCase(pages.strip())) {
            try (var document = pdf instanceof Pdf.InMemory bytes ? cn.yinxin.core.pdf.PdfDocuments.open(bytes.bytes())
                    : org.apache.pdfbox.Loader.loadPDF(((Pdf.InFile) pdf).file().toFile(),
                    org.apache.pdfbox.io.IOUtils.createTempFileOnlyStreamCache())) {
                for (int i = 1; i <= document.getNumberOfPages(); i++) {
                    numbers.add(i);
                }
            } catch (IOException e) {
                throw new RejectedException(Problem.DAMAGED_PDF, "The PDF cannot be read.");
            }
        } else {
            try {
                for (String part : pages.split(",")) {
                    numbers.add(Integer.parseInt(part.strip()));
                }
            } catch (NumberFormatException e) {
                throw new RejectedException(Problem.INVALID_REQUEST, "crossPages is \"all\" or page numbers such as 1,2,3.");
            }
        }
        if (numbers.size() < 2) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A cross-page seal spans two pages or more.");
        }
        return SealPlacement.acrossPages(numbers, yMm);
    }

    private static Integer certification(Integer certify) {
        if (certify != null && (certify < 1 || certify > 3)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "certify is the DocMDP permission: 1 (no changes), "
                    + "2 (form filling and signatures) or 3 (also annotations).");
        }
        return certify;
    }

    /** B-B, B-T, B-LT, B-LTA (or the full names, PAdES-BASELINE-T ...); null for the default. */
    static SignatureLevel level(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return SignatureLevel.parse(name);
    }

    @GetMapping("/api/v1/stamps/{id}")
    public StampRecord record(@PathVariable UUID id, jakarta.servlet.http.HttpServletRequest http) {
        StampRecord record = records.find(id).orElseThrow(() ->
                new RejectedException(Problem.NOT_FOUND, "There is no stamp record " + id + "."));
        var caller = cn.yinxin.service.security.Caller.current();
        var seal = seals.find(record.sealId());
        // the licence service reads its own stamps; an approval system only the stamps of a seal it may use; a seal
        // administrator those of its own agency's seals (refused and audited otherwise)
        boolean allowed = caller.has(cn.yinxin.service.security.Roles.LICENCE_SERVICE_CLIENT)
                || seal.map(s -> s.listsApprovalSystem(caller)).orElse(false);
        if (!allowed) {
            scope.require(seal.map(s -> s.agencyCode()).orElse(null),
                    cn.yinxin.seal.registry.Seal.auditSubject(record.sealId()), "read stamp record " + id,
                    cn.yinxin.service.audit.Actors.of(http));
        }
        return record;
    }
}
