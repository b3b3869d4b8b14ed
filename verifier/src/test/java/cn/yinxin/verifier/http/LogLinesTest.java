package cn.yinxin.verifier.http;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier's log lines name their request also when written on a worker (PDF verification, images, calls to
 * the services run there), and never another request's; as JSON they are one parseable object per line.
 */
class LogLinesTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aLineWrittenOnAWorkerNamesTheRequestThatStartedTheWork() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "A verification had no result in time");
        record.setLoggerName("cn.yinxin.verifier.VerifierVerticle");
        String json = onWorkerOfRequest("req-worker-0001", new LogLines(true), record);
        JsonObject line = new JsonObject(json.strip());
        assertThat(json.strip()).doesNotContain("\n");
        assertThat(line.getString("requestId")).isEqualTo("req-worker-0001");
        assertThat(line.getString("message")).isEqualTo("A verification had no result in time");
        assertThat(line.getString("log.level")).isEqualTo("WARNING");

        // another request's worker names its own id; outside any request, none
        assertThat(onWorkerOfRequest("req-worker-0002", new LogLines(false), record))
                .contains("[req-worker-0002]").doesNotContain("req-worker-0001");
        assertThat(new LogLines(false).format(record)).contains(" [] ");
    }

    /** Formats {@code record} on a worker started from the context of a request whose id is {@code id}. */
    private String onWorkerOfRequest(String id, LogLines lines, LogRecord record) throws Exception {
        ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
        Promise<String> formatted = Promise.promise();
        request.runOnContext(v -> {
            RequestIds.bind(id);
            vertx.executeBlocking(() -> lines.format(record), false).onComplete(formatted);
        });
        return formatted.future().await(10, TimeUnit.SECONDS);
    }
}
