package cn.yinxin.licence.imports;

import cn.yinxin.service.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.licences.Licences;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.licence.types.LicenceTypes;
import cn.yinxin.service.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Import jobs: an upload stores all its rows in one transaction; workers claim rows with FOR UPDATE SKIP LOCKED
 * and issue each through {@link Licences#issue} in a transaction that also marks the row DONE, so a crash leaves
 * the row CLAIMED (issued again, idempotently, once its lease ends) and never issued twice.
 */
@Service
public class ImportJobs {

    public enum Format { CSV, JSONL }

    /** A claimed row. */
    record Row(UUID job, int line, String raw) {
    }

    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final LicenceTypes types;
    private final Licences licences;
    private final AuditLog audit;
    private final ImportProperties properties;
    /** Import progress for operators: rows done, failed and put back for another try ({@link Meters#IMPORT_ROWS}). */
    private final MeterRegistry meters;

    /** The service's clock (LicenceServiceApplication): what decides a date or an expiry. */
    private final Clock clock;

    public ImportJobs(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions, LicenceTypes types,
                      Licences licences, AuditLog audit, ImportProperties properties, MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.meters = meters;
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = new TransactionTemplate(transactions);
        this.types = types;
        this.licences = licences;
        this.audit = audit;
        this.properties = properties;
    }

    /** Stores the job and all its rows (one transaction); the workers take it from there. */
    @Transactional
    public UUID create(String typeCode, Format format, String text, String actor) {
        LicenceType type = types.get(typeCode);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Object[]> rows = new ArrayList<>();
        UUID id = UUID.randomUUID();
        String header = null;
        if (format == Format.CSV) {
            List<Csv.Record> records;
            try {
                records = Csv.records(text);
            } catch (Csv.Malformed e) {
                // a quote left open would swallow every row after it: the file is refused before any row is taken
                throw new RejectedException(Problem.INVALID_REQUEST, "The file is not CSV (RFC 4180): " + e.getMessage());
            }
            if (records.isEmpty()) {
                throw new RejectedException(Problem.EMPTY_BODY, "The CSV has no header row.");
            }
            List<String> columns = records.get(0).values().stream().map(String::strip).toList();
            checkHeader(type, columns);
            header = JSON.writeValueAsString(columns);
            for (Csv.Record record : records.subList(1, records.size())) {
                rows.add(new Object[]{id, record.line(), record.text()});
            }
        } else {
            String[] lines = text.split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    rows.add(new Object[]{id, i + 1, lines[i]});
                }
            }
        }
        if (rows.isEmpty()) {
            throw new RejectedException(Problem.EMPTY_BODY, "The file has no rows to import.");
        }
        if (rows.size() > properties.maxRows()) {
            throw new RejectedException(Problem.PAYLOAD_TOO_LARGE, "An import has at most " + properties.maxRows()
                    + " rows; this one has " + rows.size() + ". Split the file.");
        }
        jdbc.sql("""
                INSERT INTO import_job (id, type_code, format, header, status, total, created_by, created_at)
                VALUES (:id, :type, :format, :header, 'RUNNING', :total, :by, :at)""")
                .param("id", id).param("type", type.code()).param("format", format.name()).param("header", header)
                .param("total", rows.size()).param("by", actor).param("at", Timestamp.from(clock.instant())).update();
        template.batchUpdate("INSERT INTO import_row (job_id, line_no, raw, state) VALUES (?, ?, ?, 'PENDING')", rows);
        audit.record(actor, "import.create", "import:" + id, "type=" + type.code() + " format=" + format + " rows=" + rows.size());
        return id;
    }

    private static void checkHeader(LicenceType type, List<String> columns) {
        List<String> missing = ImportRows.REQUIRED.stream().filter(c -> !columns.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The CSV header lacks the columns " + missing
                    + "; it names holderKind, holderName, holderNumber, physicalNumber, validFrom, validUntil and the "
                    + "type's fields.");
        }
        var properties = JSON.readTree(type.fieldsSchema()).path("properties");
        List<String> unknown = columns.stream().filter(c -> !ImportRows.FIXED.contains(c) && !properties.has(c)).toList();
        if (!unknown.isEmpty()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The CSV header names columns that are neither "
                    + "holder/licence columns nor fields of type " + type.code() + ": " + unknown + ".");
        }
        if (columns.stream().distinct().count() != columns.size()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The CSV header names a column twice.");
        }
    }

    /** The licence type of a job, if there is such a job (whose office's job it is). */
    public Optional<String> typeOf(UUID id) {
        return jdbc.sql("SELECT type_code FROM import_job WHERE id = :id").param("id", id).query(String.class).optional();
    }

    /** Progress: total, done, failed, pending (not yet finished, including rows being worked on), status. */
    public Map<String, Object> progress(UUID id) {
        Map<String, Object> job = jdbc.sql("SELECT * FROM import_job WHERE id = :id").param("id", id)
                .query((rs, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getObject("id", UUID.class));
                    m.put("type", rs.getString("type_code"));
                    m.put("format", rs.getString("format"));
                    m.put("total", rs.getInt("total"));
                    m.put("createdBy", rs.getString("created_by"));
                    m.put("createdAt", rs.getObject("created_at", OffsetDateTime.class).toInstant());
                    OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
                    m.put("finishedAt", finished == null ? null : finished.toInstant());
                    return m;
                }).optional().orElseThrow(() -> new RejectedException(Problem.NOT_FOUND, "There is no import job " + id + "."));
        // what is still open and what failed, each from its partial index (V95); done is the rest of the rows, which
        // were all written with the job: a count of every row of a 100,000-row job was read on every poll
        long[] open = jdbc.sql("""
                SELECT count(*), count(*) FILTER (WHERE state = 'CLAIMED') FROM import_row
                WHERE job_id = :id AND state IN ('PENDING', 'CLAIMED')""").param("id", id)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
        long failed = jdbc.sql("SELECT count(*) FROM import_row WHERE job_id = :id AND state = 'FAILED'")
                .param("id", id).query(Long.class).single();
        long pending = open[0];
        job.put("status", pending == 0 ? "FINISHED" : "RUNNING");
        job.put("done", (int) job.get("total") - pending - failed);
        job.put("failed", failed);
        job.put("pending", pending);
        job.put("inProgress", open[1]);
        job.put("errors", "/api/v1/imports/" + id + "/errors");
        return job;
    }

    /** The failed rows with their line numbers and reasons, in line order. */
    public List<Map<String, Object>> errors(UUID id) {
        progress(id);
        return jdbc.sql("SELECT line_no, error FROM import_row WHERE job_id = :id AND state = 'FAILED' ORDER BY line_no")
                .param("id", id).query((rs, n) -> Map.<String, Object>of("line", rs.getInt(1), "error", rs.getString(2)))
                .list();
    }

    /** The issued licences by line (done rows). */
    public List<Map<String, Object>> licences(UUID id) {
        progress(id);
        return jdbc.sql("SELECT line_no, licence_identifier FROM import_row WHERE job_id = :id AND state = 'DONE' ORDER BY line_no")
                .param("id", id).query((rs, n) -> Map.<String, Object>of("line", rs.getInt(1), "identifier", rs.getString(2)))
                .list();
    }

    /** The claim of {@link #claim}: the first open rows in line order (index import_row_open_in_order, V95). */
    static final String CLAIM = """
            UPDATE import_row r SET state = 'CLAIMED', claimed_by = :worker, claimed_at = now(), attempts = attempts + 1
            FROM (SELECT job_id, line_no FROM import_row
                  WHERE state = 'PENDING' OR (state = 'CLAIMED' AND claimed_at < now() - make_interval(secs => :lease))
                  ORDER BY job_id, line_no LIMIT :batch FOR UPDATE SKIP LOCKED) c
            WHERE r.job_id = c.job_id AND r.line_no = c.line_no
            RETURNING r.job_id, r.line_no, r.raw""";

    /**
     * Claims up to {@code batch} rows for {@code worker}: pending ones, and claimed ones whose lease ended (their
     * worker stopped). Rows another worker is claiming right now are skipped, not waited for.
     */
    List<Row> claim(String worker) {
        return transactions.execute(status -> jdbc.sql(CLAIM)
                .param("worker", worker).param("lease", properties.lease().toMillis() / 1000.0)
                .param("batch", properties.batchSize())
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3))).list());
    }

    /** Renews the lease of the rows {@code worker} holds. */
    void renew(String worker) {
        jdbc.sql("UPDATE import_row SET claimed_at = now() WHERE claimed_by = :w AND state = 'CLAIMED'").param("w", worker).update();
    }

    /** Issues one row and marks it DONE in the same transaction, or marks it FAILED with the reason. */
    void work(Row row, String worker) {
        try {
            issue(row);
        } catch (DuplicateKeyException race) {
            // another worker issued the same physical number at the same moment: now it is there, and a retry replays
            // it (without sealing: the licence is found before anything is signed). Any other integrity violation
            // is the row's own data and fails it below, without a second try that would seal again.
            try {
                issue(row);
            } catch (RuntimeException e) {
                fail(row, e);
            }
        } catch (RuntimeException e) {
            fail(row, e);
        }
    }

    private void issue(Row row) {
        issueInTransaction(row);
        Meters.count(meters, Meters.IMPORT_ROWS, "outcome", "done");
    }

    private void issueInTransaction(Row row) {
        transactions.executeWithoutResult(status -> {
            var job = jdbc.sql("SELECT type_code, format, header, created_by FROM import_job WHERE id = :id")
                    .param("id", row.job()).query((rs, n) -> new String[]{rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4)}).single();
            LicenceType type = types.get(job[0]);
            Licences.IssueRequest request = Format.valueOf(job[1]) == Format.CSV
                    ? ImportRows.fromCsv(type, List.of(JSON.readValue(job[2], String[].class)), row.raw())
                    : ImportRows.fromJson(type, row.raw());
            var issued = SealService.from("licence-service:bulk-import:" + row.job() + "/" + row.line(),
                    () -> licences.issue(request, "import:" + row.job() + " " + job[3]));
            String identifier = issued.licence().identifier();
            if (issued.replayed()) {
                // the same licence from an earlier line of this job is a duplicate line, not a second licence
                var earlier = jdbc.sql("""
                        SELECT line_no FROM import_row WHERE job_id = :j AND licence_identifier = :i AND line_no <> :l
                        AND state = 'DONE' ORDER BY line_no LIMIT 1""")
                        .param("j", row.job()).param("i", identifier).param("l", row.line()).query(Integer.class).optional();
                if (earlier.isPresent()) {
                    throw new RejectedException(Problem.LICENCE_EXISTS, "the same licence as line " + earlier.get()
                            + " (physical number " + request.physicalNumber() + ")");
                }
            }
            jdbc.sql("""
                    UPDATE import_row SET state = 'DONE', licence_identifier = :i, error = :note, finished_at = now()
                    WHERE job_id = :j AND line_no = :l AND state <> 'DONE'""")
                    .param("i", identifier).param("note", issued.replayed() ? "issued before: " + identifier : null)
                    .param("j", row.job()).param("l", row.line()).update();
        });
    }

    /**
     * A refusal of the row itself fails it at once; an outage (seal service unreachable or failing, database
     * connection) puts it back for a later try. Each try may seal the licence PDF (a stamp of the seal service), so
     * only a failure that another try could cure is tried again.
     */
    private void fail(Row row, RuntimeException e) {
        boolean transient_ = outage(e);
        String reason = e instanceof RejectedException ? e.getMessage() : reason(e);
        if (transient_) {
            log.warn("Import {} line {}: {}", row.job(), row.line(), reason);
            int again = jdbc.sql("""
                    UPDATE import_row SET state = 'PENDING', error = :e, claimed_by = NULL, claimed_at = NULL
                    WHERE job_id = :j AND line_no = :l AND state = 'CLAIMED' AND attempts < :max""")
                    .param("e", "will try again: " + reason).param("j", row.job()).param("l", row.line())
                    .param("max", MAX_ATTEMPTS).update();
            if (again == 1) {
                Meters.count(meters, Meters.IMPORT_ROWS, "outcome", "retry");
                throw new Outage(reason);
            }
        }
        jdbc.sql("""
                UPDATE import_row SET state = 'FAILED', error = :e, finished_at = now()
                WHERE job_id = :j AND line_no = :l AND state = 'CLAIMED'""")
                .param("e", reason).param("j", row.job()).param("l", row.line()).update();
        Meters.count(meters, Meters.IMPORT_ROWS, "outcome", "failed");
    }

    /**
     * Whether another try could succeed: the seal service could not be reached or failed (5xx, 408, 429; not a
     * 4xx refusal of the request, {@link SealService.Refused}), or the database was unreachable or busy. A refusal
     * by validation, a 4xx of the seal service and a constraint the row's data breaks are the row's own.
     */
    static boolean outage(RuntimeException e) {
        if (e instanceof RejectedException rejected) {
            return rejected.problem() == Problem.SEAL_SERVICE_UNAVAILABLE && !(e instanceof SealService.Refused);
        }
        return e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException
                || e instanceof RecoverableDataAccessException || e instanceof CannotCreateTransactionException;
    }

    /**
     * A failure that is not a refusal, in one line: the database's own first line (its "Detail:" lines repeat the
     * whole row, holder data and PDF included, which the errors list must not show).
     */
    static String reason(RuntimeException e) {
        Throwable cause = e instanceof DataAccessException data ? data.getMostSpecificCause() : e;
        String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("").strip();
        return (e instanceof DataIntegrityViolationException
                ? "the registry refused the row's data: " : e.getClass().getSimpleName() + ": ") + message;
    }

    /** The row could not be worked on for a reason outside it; the worker waits a little. */
    static final class Outage extends RuntimeException {
        Outage(String message) {
            super(message);
        }
    }

    static final int MAX_ATTEMPTS = 5;

    /** Marks jobs with no open rows finished. */
    void finishJobs() {
        jdbc.sql("""
                UPDATE import_job j SET status = 'FINISHED', finished_at = now() WHERE status = 'RUNNING'
                AND NOT EXISTS (SELECT 1 FROM import_row r WHERE r.job_id = j.id AND r.state IN ('PENDING', 'CLAIMED'))""")
                .update();
    }
}
