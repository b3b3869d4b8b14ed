package cn.yinxin.licence.imports;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.access.IssuingOffice;
import cn.yinxin.service.audit.Actors;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bulk conversion of existing licences (存量证照电子化): upload a CSV or JSON Lines file as a job, follow its
 * progress, read the rows that failed.
 */
@RestController
public class ImportsController {

    private final ImportJobs jobs;
    private final IssuingOffice office;

    public ImportsController(ImportJobs jobs, IssuingOffice office) {
        this.jobs = jobs;
        this.office = office;
    }

    /**
     * The file is the body: text/csv (a header row, then one licence a row) or application/x-ndjson (the issuance
     * JSON of POST /api/v1/licences on each line). 202 with the job's progress; the rows are issued in the
     * background.
     */
    @PostMapping("/api/v1/imports")
    public ResponseEntity<Map<String, Object>> create(@RequestParam String type,
                                                      @RequestHeader(value = "Content-Type", required = false) String contentType,
                                                      @RequestParam(required = false) String format,
                                                      @RequestBody(required = false) byte[] body, HttpServletRequest http) {
        office.type(type, "import licences of this type", http);
        if (body == null || body.length == 0) {
            throw new RejectedException(Problem.EMPTY_BODY, "Send the CSV or JSON Lines file as the request body.");
        }
        ImportJobs.Format f = format(format, contentType);
        UUID id = jobs.create(type, f, new String(body, StandardCharsets.UTF_8), Actors.of(http));
        return ResponseEntity.accepted().location(URI.create("/api/v1/imports/" + id)).body(jobs.progress(id));
    }

    @GetMapping("/api/v1/imports/{id}")
    public Map<String, Object> progress(@PathVariable UUID id, HttpServletRequest http) {
        inScope(id, http);
        return jobs.progress(id);
    }

    @GetMapping("/api/v1/imports/{id}/errors")
    public List<Map<String, Object>> errors(@PathVariable UUID id, HttpServletRequest http) {
        inScope(id, http);
        return jobs.errors(id);
    }

    @GetMapping("/api/v1/imports/{id}/licences")
    public List<Map<String, Object>> licences(@PathVariable UUID id, HttpServletRequest http) {
        inScope(id, http);
        return jobs.licences(id);
    }

    /** An import job is its licence type's office's (an unknown job is left to the handler: 404). */
    private void inScope(UUID id, HttpServletRequest http) {
        jobs.typeOf(id).ifPresent(type -> office.type(type, "read import job " + id, http));
    }

    private static ImportJobs.Format format(String format, String contentType) {
        String f = format != null ? format : contentType == null ? "" : contentType.toLowerCase();
        if (f.equalsIgnoreCase("csv") || f.startsWith("text/csv")) {
            return ImportJobs.Format.CSV;
        }
        if (f.equalsIgnoreCase("jsonl") || f.contains("ndjson") || f.contains("jsonl") || f.contains("json-seq")) {
            return ImportJobs.Format.JSONL;
        }
        throw new RejectedException(Problem.INVALID_REQUEST, "Send text/csv or application/x-ndjson (JSON Lines), "
                + "or say ?format=csv|jsonl.");
    }
}
