package cn.yinxin.verifier.trust.seals;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.pki.Pem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seals as JSON: the entries the verifier keeps (in its cache file, the same shape as it builds from the seal
 * service's answers) read into {@link Seal}s, and the seals and their certificates as the status page, the offline
 * page and the QR verdicts show them.
 */
public final class SealJson {

    private SealJson() {
    }

    /** One kept entry: the seal service's view of a seal with its current PEM chain and its earlier ones. */
    static JsonObject entry(JsonObject view, String id, String pem, JsonArray previous) {
        return new JsonObject().put("id", id).put("name", view.getString("name"))
                .put("agency", view.getString("agency")).put("agencyCode", view.getString("agencyCode"))
                .put("status", view.getString("status")).put("statusReason", view.getString("statusReason"))
                .put("statusChangedAt", view.getValue("statusChangedAt") == null ? null
                        : String.valueOf(view.getValue("statusChangedAt")))
                .put("chain", pem).put("previous", previous);
    }

    /** A known seal's earlier chains, as kept entries write them. */
    static JsonArray previousOf(Seal seal) {
        JsonArray previous = new JsonArray();
        seal.previous().forEach(earlier -> previous.add(new JsonObject().put("chain", pemOf(earlier.chain()))
                .put("replacedAt", earlier.replacedAt().toString())));
        return previous;
    }

    static String pemOf(List<X509Certificate> chain) {
        return chain.stream().map(Pem::encode).reduce("", String::concat);
    }

    /** The kept entries as seals (an entry without a certificate is left out). */
    static List<Seal> parse(JsonArray array) throws Exception {
        List<Seal> result = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject entry = array.getJsonObject(i);
            List<X509Certificate> chain = Pem.readCertificates(entry.getString("chain").getBytes(StandardCharsets.US_ASCII));
            if (chain.isEmpty()) {
                continue;
            }
            X500Name subject = X500Name.getInstance(chain.get(0).getSubjectX500Principal().getEncoded());
            String statusChanged = entry.getString("statusChangedAt");
            result.add(new Seal(entry.getString("id"),
                    // the certificate's subject is what the chain vouches for; the listing only fills gaps
                    first(attribute(subject, BCStyle.CN), entry.getString("name")),
                    first(attribute(subject, BCStyle.O), entry.getString("agency")),
                    first(attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER), entry.getString("agencyCode")),
                    entry.getString("status"), entry.getString("statusReason"),
                    statusChanged == null ? null : parseInstant(statusChanged), List.copyOf(chain),
                    List.copyOf(earlier(entry))));
        }
        return List.copyOf(result);
    }

    /** The earlier chains of an entry (absent in caches written before renewals existed). */
    private static List<Seal.Earlier> earlier(JsonObject entry) throws Exception {
        List<Seal.Earlier> previous = new ArrayList<>();
        JsonArray earlier = entry.getJsonArray("previous", new JsonArray());
        for (int j = 0; j < earlier.size(); j++) {
            if (!(earlier.getValue(j) instanceof JsonObject one)) {
                continue; // not an entry this version wrote: the next fetch replaces it
            }
            List<X509Certificate> old = Pem.readCertificates(one.getString("chain").getBytes(StandardCharsets.US_ASCII));
            if (!old.isEmpty()) {
                previous.add(new Seal.Earlier(List.copyOf(old), parseInstant(one.getString("replacedAt"))));
            }
        }
        return previous;
    }

    /** The seal service writes Instants as ISO text; older Jackson settings wrote epoch seconds with a fraction. */
    static Instant parseInstant(String value) {
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            double seconds = Double.parseDouble(value);
            return Instant.ofEpochMilli(Math.round(seconds * 1000));
        }
    }

    static String first(String preferred, String fallback) {
        return preferred != null && !preferred.isBlank() ? preferred : fallback;
    }

    static String attribute(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** For the status page and the offline page: the seals as plain data. */
    public static Map<String, Object> describe(Seal seal) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", seal.id());
        map.put("name", seal.name());
        map.put("agency", seal.agency());
        map.put("agencyCode", seal.agencyCode());
        map.put("status", seal.status());
        map.put("statusChangedAt", seal.statusChangedAt() == null ? null : seal.statusChangedAt().toString());
        return map;
    }

    /** The certificate's part of a QR verdict (made once per seal certificate, see {@link Signer}). */
    public static JsonObject signer(X509Certificate certificate, String kid, Instant replacedAt) {
        return new JsonObject()
                .put("subject", ReadableNames.of(certificate.getSubjectX500Principal()))
                .put("issuer", ReadableNames.of(certificate.getIssuerX500Principal()))
                .put("serialNumber", certificate.getSerialNumber().toString(16))
                .put("notBefore", certificate.getNotBefore().toInstant().toString())
                .put("notAfter", certificate.getNotAfter().toInstant().toString())
                .put("kid", kid)
                .put("replacedAt", replacedAt == null ? null : replacedAt.toString());
    }
}
