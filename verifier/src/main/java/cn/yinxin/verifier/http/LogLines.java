package cn.yinxin.verifier.http;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The verifier's log lines (java.util.logging, which it has always used): each names the request it belongs to
 * ({@link RequestIds}), as a line of text or, with {@code YINXIN_LOG_FORMAT=json}, as one JSON object per line for
 * a log collector (field names as Elastic's ECS: {@code @timestamp}, {@code log.level}, {@code log.logger},
 * {@code message}, {@code requestId}, {@code error.stack_trace}).
 */
public final class LogLines extends Formatter {

    private final boolean json;

    LogLines(boolean json) {
        this.json = json;
    }

    /** Puts this format on the root logger's handlers (from YINXIN_LOG_FORMAT: text by default, or json). */
    public static void install(String format) {
        LogLines lines = new LogLines("json".equalsIgnoreCase(format == null ? "" : format.strip()));
        Logger root = Logger.getLogger("");
        if (root.getHandlers().length == 0) {
            root.addHandler(new ConsoleHandler());
        }
        for (Handler handler : root.getHandlers()) {
            handler.setFormatter(lines);
        }
    }

    @Override
    public String format(LogRecord record) {
        String id = RequestIds.current();
        String message = formatMessage(record);
        String stack = null;
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            stack = trace.toString();
        }
        if (json) {
            JsonObject line = new JsonObject().put("@timestamp", Instant.ofEpochMilli(record.getMillis()).toString())
                    .put("log.level", record.getLevel().getName()).put("log.logger", record.getLoggerName())
                    .put("message", message);
            if (id != null) {
                line.put("requestId", id);
            }
            if (stack != null) {
                line.put("error.stack_trace", stack);
            }
            return line.encode() + System.lineSeparator();
        }
        return Instant.ofEpochMilli(record.getMillis()) + " " + record.getLevel().getName() + " ["
                + (id == null ? "" : id) + "] " + record.getLoggerName() + ": " + message + System.lineSeparator()
                + (stack == null ? "" : stack);
    }
}
