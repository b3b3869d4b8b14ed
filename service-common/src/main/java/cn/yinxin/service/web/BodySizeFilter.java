package cn.yinxin.service.web;

import cn.yinxin.core.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Bounds the bodies Tomcat does not: JSON, CBOR, OCSP and time-stamp requests are read whole into memory by the
 * controllers, so without this one request could take the heap. A declared length over the limit is refused at
 * once; a chunked body is read up to the limit and refused past it. Multipart uploads (stamping, seal images) are
 * bounded by {@code spring.servlet.multipart.*} and streamed to disk, so they pass here untouched.
 */
public class BodySizeFilter extends OncePerRequestFilter {

    private final long defaultLimit;
    private final List<Map.Entry<Paths, Long>> larger;

    public BodySizeFilter(WebEdgeProperties properties) {
        this.defaultLimit = properties.maxBodySize().toBytes();
        this.larger = properties.largerBodies().entrySet().stream()
                .map(e -> Map.entry(new Paths(List.of(e.getKey())), e.getValue().toBytes())).toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limit(request);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, limit);
            return;
        }
        if (declared >= 0 || !chunked(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit + 1);
        if (body.length > limit) {
            refuse(request, response, limit);
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private long limit(HttpServletRequest request) {
        for (Map.Entry<Paths, Long> entry : larger) {
            if (entry.getKey().matches(request)) {
                return entry.getValue();
            }
        }
        return defaultLimit;
    }

    private static boolean chunked(HttpServletRequest request) {
        String encoding = request.getHeader("Transfer-Encoding");
        return encoding != null && encoding.toLowerCase().contains("chunked");
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < max && (n = in.read(buffer, 0, (int) Math.min(buffer.length, max - out.size()))) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        ProblemResponses.send(request, response, Problem.PAYLOAD_TOO_LARGE, "The request body is larger than this "
                + "address accepts (" + DataSize.ofBytes(limit).toKilobytes() + " KB, see yinxin.web.max-body-size).");
    }

    /** The request with its (already read, bounded) body given again to whoever reads it next. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body has been read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
