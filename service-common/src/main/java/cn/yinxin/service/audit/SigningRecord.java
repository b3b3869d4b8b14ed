package cn.yinxin.service.audit;

import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;
import jakarta.servlet.http.HttpServletRequest;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The details of one use of a seal or personal key (签章过程记录), as one audit entry's {@code details}: who (the
 * approval system's client and the person behind it), which seal and which certificate (issuer/serial, hex as the
 * CA prints it), the SHA-256 of what was signed and of the result, the level, and where the request came from.
 * The time is the audit entry's own. Every stamp, code, token and personal signature writes one, in the
 * transaction of the change, so that an auditor can answer "who used this seal on which document" from the chain
 * alone. The format is {@code key=value} pairs separated by one space; values never contain a space.
 */
public record SigningRecord(String client, String subject, String person, String seal, String certificate,
                            String document, String result, String level, String source) {

    /** The header a calling service names the source of a request with (e.g. {@code bulk-import:<job>/<line>}). */
    public static final String SOURCE_HEADER = "X-Yinxin-Source";
    /** A source is a short label chosen by an authenticated client: anything else is not written to the chain. */
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._:/-]{1,100}");

    /** The details text, in a fixed key order; absent values are written as "-". */
    public String details() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client", client);
        fields.put("subject", subject);
        fields.put("person", person);
        fields.put("seal", seal);
        fields.put("certificate", certificate);
        fields.put("document", document);
        fields.put("result", result);
        fields.put("level", level);
        fields.put("source", source);
        StringBuilder text = new StringBuilder();
        fields.forEach((key, value) -> text.append(text.isEmpty() ? "" : " ").append(key).append('=')
                .append(value == null || value.isBlank() ? "-" : value.strip().replace(' ', '_')));
        return text.toString();
    }

    /** The fields of a details text written by {@link #details()} (for tests and auditors' tools). */
    public static Map<String, String> parse(String details) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : details.split(" ")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return fields;
    }

    /** A record of the current caller's use of a seal; the caller's person is its resident ID number, if any. */
    public static SigningRecord of(Caller caller, String source, String seal, String certificate, String document,
                                   String result, String level) {
        return new SigningRecord(caller.client(), caller.subject(), caller.residentId(), seal, certificate, document,
                result, level, source);
    }

    /**
     * Where a request came from: {@code api} for a direct call, else {@code api:<label>} with the label the
     * (authenticated) client sent in {@link #SOURCE_HEADER}. A label that is not a short plain token is ignored,
     * so that no caller can write free text into the chain.
     */
    public static String source(HttpServletRequest request) {
        String label = request == null ? null : request.getHeader(SOURCE_HEADER);
        if (label == null || !SOURCE.matcher(label).matches()) {
            return "api";
        }
        // our own services' labels are theirs to give; anyone else's is written as what it is, the caller's own
        // claim, so that an approval system cannot pass its stamps off as the licence service's bulk import
        Caller caller = Caller.current();
        boolean ours = caller != null && (caller.has(Roles.LICENCE_SERVICE_CLIENT)
                || caller.has(Roles.SEAL_SERVICE_CLIENT)
                || caller.has(Roles.CA_SERVICE_CLIENT)
                || caller.has(Roles.REPORT_SEALER));
        return (ours ? "api:" : "api:said:") + label;
    }

    /** issuer/serial, the serial in lower-case hex as the CA service prints it. */
    public static String certificate(String issuer, BigInteger serial) {
        return (issuer == null ? "-" : issuer) + "/" + serial.toString(16);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
