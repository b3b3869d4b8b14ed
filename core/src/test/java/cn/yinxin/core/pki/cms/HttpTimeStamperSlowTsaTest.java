package cn.yinxin.core.pki.cms;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Review of bfd1ee1: the TSA timeout bounds the whole wait for an answer, not each read. A TSA that sends its status
 * line and headers a byte at a time, each byte within the timeout, held the JDK HttpClient for at most the request
 * timeout; on HttpURLConnection each read restarts the clock, so a stamping thread is held for as long as the TSA
 * likes (here ~30 s of headers against a 300 ms timeout).
 */
class HttpTimeStamperSlowTsaTest {

    @Test
    void aTsaThatDripsItsHeadersIsARefusalWithinTheTimeout() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread tsa = Thread.ofPlatform().daemon().start(() -> drip(listener));
            HttpTimeStamper stamper = new HttpTimeStamper(URI.create("http://127.0.0.1:" + listener.getLocalPort()
                    + "/tsa"), Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThatThrownBy(() -> stamper.timeStamp(new byte[] {1})).isInstanceOf(GeneralSecurityException.class);
            // generous against the 300 ms timeout; the dripping TSA would hold the call ~30 s
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            tsa.interrupt();
        }
    }

    private static void drip(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            in.read(buffer);   // the query (small, sent with its headers in one write)
            StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 20; i++) {
                head.append("X-Slow-").append(i).append(": .\r\n");
            }
            OutputStream out = socket.getOutputStream();
            for (byte b : head.toString().getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(100);
            }
        } catch (Exception e) {
            // the client gave up, or the test ended
        }
    }
}
