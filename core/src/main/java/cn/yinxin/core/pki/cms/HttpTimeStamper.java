package cn.yinxin.core.pki.cms;

import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;

/** A TSA reached over HTTP (RFC 3161 section 3.4): SHA-256 imprint, a nonce, and the TSA certificate asked for. */
public final class HttpTimeStamper implements TimeStamper {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final URI url;
    private final HttpClient http;
    private final Duration timeout;

    public HttpTimeStamper(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
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
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 && response.statusCode() != 400) {
                throw new GeneralSecurityException("the TSA at " + url + " answered HTTP " + response.statusCode());
            }
            TimeStampResponse reply;
            try {
                reply = new TimeStampResponse(response.body());
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeneralSecurityException("interrupted while asking the TSA", e);
        } catch (TSPException e) {
            throw new GeneralSecurityException("the TSA's answer is not valid: " + e.getMessage(), e);
        }
    }
}
