package cn.yinxin.service;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.text.Language;
import cn.yinxin.service.web.ProblemResponses;
import cn.yinxin.service.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.exc.JsonNodeException;

import java.net.URI;
import java.sql.SQLException;

/** Every refusal leaves as an RFC 9457 problem document with a stable type; never a stack trace. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(RejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RejectedException e) {
        return problem(e.problem(), e.getMessage());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        return problem(Problem.PAYLOAD_TOO_LARGE, "The upload is larger than this service accepts ("
                + (e.getMaxUploadSize() > 0 ? e.getMaxUploadSize() + " bytes" : "see yinxin.stamp.max-pdf-size") + ").");
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class,
            MultipartException.class, HttpMediaTypeNotSupportedException.class, HttpMessageNotReadableException.class,
            HttpRequestMethodNotSupportedException.class})
    ResponseEntity<ProblemDetail> invalid(Exception e) {
        return problem(Problem.INVALID_REQUEST, e instanceof HttpMessageNotReadableException
                ? "The request body cannot be read: send JSON of the documented shape." : e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e) {
        return problem(Problem.NOT_FOUND, "No such resource: " + e.getResourcePath());
    }

    /**
     * A value of the wrong kind in a request's JSON: Jackson 3 refuses to coerce ("abc" or {} read as a number, {} or
     * [] as a text), and the controllers read request bodies as trees, so it is the request's fault (it was a 500).
     */
    @ExceptionHandler(JsonNodeException.class)
    ResponseEntity<ProblemDetail> wrongKind(JsonNodeException e) {
        return problem(Problem.INVALID_REQUEST, "A value in the request has the wrong type: " + e.getOriginalMessage());
    }

    /**
     * Text the database cannot store: PostgreSQL refuses U+0000 in text (SQLSTATE 22021, character not in
     * repertoire). Only a request's own words get there (a reason, a CSV row), so it is a bad request (it was a 500).
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> unstorable(DataIntegrityViolationException e) {
        if (e.getMostSpecificCause() instanceof SQLException sql && "22021".equals(sql.getSQLState())) {
            return problem(Problem.INVALID_REQUEST, "The request holds a character that cannot be stored (U+0000, "
                    + "NUL): remove it.");
        }
        return unexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected failure", e);
        return problem(Problem.INTERNAL, "The request failed on our side; it has been logged.");
    }

    public static ResponseEntity<ProblemDetail> problem(Problem problem, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(problem.status()), detail);
        body.setType(URI.create(problem.type()));
        String acceptLanguage = acceptLanguage();
        body.setTitle(ProblemResponses.title(problem, acceptLanguage));
        // this occurrence (RFC 9457 3.1.5): the request id, as in the answer's X-Request-Id and the logs
        String instance = RequestIds.instance();
        if (instance != null) {
            body.setInstance(URI.create(instance));
        }
        return ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("Content-Language", Language.of(acceptLanguage).tag()).body(body);
    }

    /** The Accept-Language of the request being answered (none outside a request: the title is then Chinese). */
    private static String acceptLanguage() {
        return RequestContextHolder.getRequestAttributes()
                instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getHeader("Accept-Language") : null;
    }
}
