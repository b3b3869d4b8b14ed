package cn.yinxin.ca;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.testing.Commands;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The RFC 3161 TSA over HTTP, judged by openssl ts and Bouncy Castle's token validation. */
class TimeStampAuthorityTest extends CaTestBase {

    @TempDir
    Path dir;

    @Test
    void opensslVerifiesOurTimeStampsAndSerialNumbersDiffer() throws Exception {
        Files.copy(KEYSTORES.resolve("ca/root.pem"), dir.resolve("root.pem"));
        Files.copy(KEYSTORES.resolve("ca/tsa.pem"), dir.resolve("tsa.pem"));
        Files.writeString(dir.resolve("data.txt"), "an approval result");
        Commands.ok(dir, "openssl", "ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "q.tsq");

        String first = stamp("q.tsq", "r1.tsr");
        String second = stamp("q.tsq", "r2.tsr");
        assertThat(Commands.ok(dir, "openssl", "ts", "-verify", "-data", "data.txt", "-in", "r1.tsr", "-CAfile",
                "root.pem", "-untrusted", "tsa.pem")).contains("Verification: OK");
        assertThat(first).contains("Status: Granted").contains("Policy OID: 2.25.").contains("Accuracy: 0x01 seconds")
                .contains("Hash Algorithm: sha256");
        assertThat(serial(first)).isNotEqualTo(serial(second));
    }

    @Test
    void anSm3ImprintIsStampedWithSigningCertificateV2() throws Exception {
        byte[] imprint = MessageDigest.getInstance("SM3", new BouncyCastleProvider()).digest("数据".getBytes());
        var generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        var request = generator.generate(GMObjectIdentifiers.sm3, imprint, BigInteger.valueOf(42));
        var response = post("/tsa", "application/timestamp-query", request.getEncoded());
        assertThat(response.statusCode()).isEqualTo(200);
        TimeStampResponse reply = new TimeStampResponse(response.body());
        reply.validate(request);
        assertThat(reply.getStatus()).isEqualTo(PKIStatus.GRANTED);
        var token = reply.getTimeStampToken();
        assertThat(token.getTimeStampInfo().getMessageImprintAlgOID()).isEqualTo(GMObjectIdentifiers.sm3);
        var tsa = Pem.readCertificates(Files.readAllBytes(KEYSTORES.resolve("ca/tsa.pem"))).get(0);
        // validate() also checks that ESS signing-certificate(-v2) names this certificate
        token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(new BouncyCastleProvider()).build(tsa));
        assertThat(token.getSignedAttributes().get(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificateV2)).isNotNull();
    }

    @Test
    void malformedAndWeakRequestsAreRefusedClearly() throws Exception {
        var garbage = post("/tsa", "application/timestamp-query", "not a request".getBytes());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.headers().firstValue("Content-Type")).hasValue("application/timestamp-reply");
        TimeStampResponse rejected = new TimeStampResponse(garbage.body());
        assertThat(rejected.getStatus()).isEqualTo(PKIStatus.REJECTION);
        assertThat(rejected.getFailInfo().intValue() & PKIFailureInfo.badDataFormat).isNotZero();

        Files.writeString(dir.resolve("data.txt"), "x");
        Commands.ok(dir, "openssl", "ts", "-query", "-data", "data.txt", "-sha1", "-out", "sha1.tsq");
        var sha1 = post("/tsa", "application/timestamp-query", Files.readAllBytes(dir.resolve("sha1.tsq")));
        assertThat(sha1.statusCode()).isEqualTo(400);
        assertThat(new TimeStampResponse(sha1.body()).getFailInfo().intValue() & PKIFailureInfo.badAlg).isNotZero();
    }

    private String stamp(String query, String reply) throws Exception {
        var response = post("/tsa", "application/timestamp-query", Files.readAllBytes(dir.resolve(query)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/timestamp-reply");
        Files.write(dir.resolve(reply), response.body());
        return Commands.ok(dir, "openssl", "ts", "-reply", "-in", reply, "-text");
    }

    private static String serial(String text) {
        var m = Pattern.compile("Serial number: (\\S+)").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }
}
