package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What the verifier serves besides verifications: the page a phone opens from a document's printed address, the
 * OpenAPI document and the sign-in script. Read from the jar once, at start (blocking).
 */
final class Pages {

    private static final Pattern DOCUMENT_ID = Pattern.compile("[0-9a-fA-F-]{1,64}");

    private final String documentPage;
    private final Buffer openApi;
    private final Buffer signInScript;

    Pages() throws IOException {
        documentPage = resource("webroot/index.html").replaceFirst("<head>", "<head>\n<base href=\"../\">");
        openApi = Buffer.buffer(resourceBytes("openapi.yaml"));
        signInScript = Buffer.buffer(resourceBytes("cn/yinxin/core/pages/sign-in.js"));
    }

    void openApi(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi);
    }

    void signInScript(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/javascript; charset=utf-8").end(signInScript);
    }

    /** The page a phone opens from the verification address printed under a document's QR code. */
    void documentPage(RoutingContext ctx) {
        if (!DOCUMENT_ID.matcher(ctx.pathParam("documentId")).matches()) {
            Problems.send(ctx, Problem.NOT_FOUND, "No such document address.");
            return;
        }
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(documentPage);
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static String resource(String name) throws IOException {
        return new String(resourceBytes(name), StandardCharsets.UTF_8);
    }
}
