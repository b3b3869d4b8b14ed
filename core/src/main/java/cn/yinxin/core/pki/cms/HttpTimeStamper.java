package cn.yinxin.core.pki.cms;

import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A TSA reached over HTTP (RFC 3161 section 3.4): SHA-256 imprint, a nonce, and the TSA certificate asked for. */
public final class HttpTimeStamper implements TimeStamper {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** A time-stamp reply is a few KB (a token and the TSA's chain); a longer answer is no reply of a TSA. */
    static final int MAX_REPLY = 256 * 1024;
    private final URI url;
    private final Duration timeout;

    public HttpTimeStamper(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public byte[] timeStamp(byte[] data) throws GeneralSecurityException {
        return timeStampImprint(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Hashes the stream as it reads it: only the SHA-256 imprint is sent, so the data is never held whole. */
    @Override
    public byte[] timeStamp(InputStream data) throws GeneralSecurityException, IOException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (DigestOutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            data.transferTo(sink);
        }
        return timeStampImprint(sha256.digest());
    }

    private byte[] timeStampImprint(byte[] sha256) throws GeneralSecurityException {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(64, RANDOM));
        try {
            byte[] answer = post(request.getEncoded());
            TimeStampResponse reply;
            try {
                reply = new TimeStampResponse(answer);
            } catch (RuntimeException e) {
                throw new GeneralSecurityException("the TSA at " + url + " answered something that is not a "
                        + "time-stamp reply", e);
            }
            reply.validate(request);
            if (reply.getTimeStampToken() == null) {
                throw new GeneralSecurityException("the TSA refused: " + reply.getStatusString());
            }
            return reply.getTimeStampToken().getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException("the TSA at " + url + " cannot be reached: " + e.getMessage(), e);
        } catch (TSPException e) {
            throw new GeneralSecurityException("the TSA's answer is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * One POST on a kept-alive connection (HttpURLConnection, no proxy, no redirect): a blocking call on the caller's
     * thread. The JDK's HttpClient handed each call through its selector thread and a chain of futures, about a
     * tenth of a B-T stamp's CPU in a profile (docs/benchmarks.md). The answer is read whole (so the connection is
     * kept) up to {@link #MAX_REPLY}. The whole call ends by the timeout, as the HttpClient's did: HttpURLConnection
     * bounds each connect and each read only, so a TSA that trickled its answer a byte at a time would hold a stamping
     * thread for as long as it liked; at the deadline the connection is dropped, which ends any read under way.
     */
    private byte[] post(byte[] query) throws IOException, GeneralSecurityException {
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
        long end = System.nanoTime() + timeout.toNanos();
        ScheduledFuture<?> deadline = DEADLINES.schedule(connection::disconnect, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            byte[] answer = exchange(connection, query, end);
            if (deadline.isDone()) {
                // dropped at the deadline, a read may still end as if the answer had ended: what came is cut short
                throw late(null);
            }
            return answer;
        } catch (IOException e) {
            if (deadline.isDone()) {
                throw late(e);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /** Drops the connections of calls past their deadline (one daemon thread for every TSA client of the JVM). */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "tsa-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);   // a call that ends in time leaves nothing queued
        return executor;
    }

    private byte[] exchange(HttpURLConnection connection, byte[] query, long end)
            throws IOException, GeneralSecurityException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/timestamp-query");
        // no streaming mode: the query is sent with its headers in one write (streamed, the body went in a second small
        // segment that Nagle held back for the first one's acknowledgement: +0.85 ms per call on loopback)
        try (OutputStream out = connection.getOutputStream()) {
            out.write(query);
        }
        int status = connection.getResponseCode();
        if (status != 200 && status != 400) {
            connection.disconnect();
            throw new GeneralSecurityException("the TSA at " + url + " answered HTTP " + status);
        }
        try (InputStream in = status == 200 ? connection.getInputStream() : connection.getErrorStream()) {
            byte[] answer = in == null ? new byte[0] : readUntil(in, end);
            if (answer.length > MAX_REPLY) {
                connection.disconnect();
                throw new GeneralSecurityException("the TSA at " + url + " answered more than " + MAX_REPLY
                        + " bytes: no time-stamp reply is that long");
            }
            return answer;
        }
    }

    /**
     * The answer, at most {@link #MAX_REPLY} + 1 bytes, read until it ends or the deadline passes (an IOException):
     * the connection dropped at the deadline did not always end a read under way (seen once in a fresh-clone CI run:
     * a TSA trickling a byte every 100 ms held the call for 236 s), so each chunk read also looks at the clock.
     */
    private byte[] readUntil(InputStream in, long end) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        for (int n; answer.size() <= MAX_REPLY && (n = in.read(chunk, 0, Math.min(chunk.length,
                MAX_REPLY + 1 - answer.size()))) != -1; ) {
            answer.write(chunk, 0, n);
            if (System.nanoTime() - end > 0) {
                throw late(null);
            }
        }
        return answer.toByteArray();
    }

    /** The refusal of an answer that did not come whole within the timeout. */
    private IOException late(IOException cause) {
        return new IOException("no whole answer within " + timeout.toMillis() + " ms", cause);
    }
}
