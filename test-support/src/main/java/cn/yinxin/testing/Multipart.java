package cn.yinxin.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A multipart/form-data request built by hand, as any client of the stamping API would send it. */
public final class Multipart {

    private final String boundary = "yinxin-" + UUID.randomUUID();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> fields = new LinkedHashMap<>();

    public Multipart field(String name, Object value) {
        fields.put(name, String.valueOf(value));
        return this;
    }

    public Multipart file(String name, String filename, String contentType, byte[] content) {
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    /** The request with extra headers, as name, value, name, value ... */
    public HttpRequest post(URI uri, String... headers) {
        HttpRequest plain = post(uri);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Content-Type", plain.headers().firstValue("Content-Type").orElseThrow())
                .POST(plain.bodyPublisher().orElseThrow());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    public HttpRequest post(URI uri) {
        fields.forEach((k, v) -> write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k
                + "\"\r\n\r\n" + v + "\r\n"));
        write("--" + boundary + "--\r\n");
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }

    private void write(String s) {
        body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
