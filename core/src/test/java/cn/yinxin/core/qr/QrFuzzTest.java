package cn.yinxin.core.qr;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.Zlib;
import cn.yinxin.core.pki.keys.SealKey;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A genuine signed code, edited at random as an officer's scanner, a forger or a damaged print could: characters of
 * the text replaced, inserted, removed or cut, and bytes of the COSE message flipped, inserted or removed before it is
 * packed again (compressed or not). A code is answered genuine only when the claims it gives are the ones signed;
 * anything else is a refusal ({@link RejectedException}), never another exception (a 500 at the verifier), and fast.
 * {@code -Dfuzz.cases=N -Dfuzz.seed=S} for more.
 */
class QrFuzzTest {

    private static final int CASES = Integer.getInteger("fuzz.cases", 3000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261208L);
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    @Test
    void noEditedCodeIsGenuineUnlessItGivesTheClaimsSigned() throws Exception {
        SealKey key = QrKeys.sealKey("fuzz");
        QrSigner signer = new QrSigner(key);
        QrVerifier verifier = new QrVerifier(List.of(key.certificate()), Clock.systemUTC());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        UUID id = UUID.randomUUID();
        CwtClaims claims = new DocumentQr(id, DocumentQr.verificationUrl("https://verify.example/d/", id), "seal-1",
                "91350100M000100Y43", now, now.plusSeconds(86_400)).toClaims();
        String text = signer.sign(claims);
        byte[] message = signer.coseSign1(claims);
        // the claims as the verifier gives them back (its map's order), from the genuine code
        byte[] signed = verifier.verify(text).claims().toCbor();
        assertThat(CwtClaims.fromCbor(signed).get(DocumentQr.CLAIM)).as("the genuine code").isNotNull();

        Random random = new Random(SEED);
        List<String> breaches = new ArrayList<>();
        int genuine = 0;
        for (int i = 0; i < CASES; i++) {
            String edited = random.nextBoolean() ? editText(text, signer.prefix(), random)
                    : signer.prefix() + Base45.encode(pack(editBytes(message, random), random));
            long started = System.nanoTime();
            try {
                QrVerifier.Verified verified = verifier.verify(edited);
                genuine++;
                if (!Arrays.equals(verified.claims().toCbor(), signed)) {
                    breaches.add("case " + i + ": genuine, with other claims: " + edited);
                }
            } catch (RejectedException refused) {
                // what most edits must get
            } catch (RuntimeException | Error e) {
                breaches.add("case " + i + ": " + e + " for " + edited);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 1_000) {
                breaches.add("case " + i + ": took " + millis + " ms for " + edited);
            }
        }
        System.out.printf("QrFuzzTest: %d cases, %d still genuine, %d breaches%n", CASES, genuine, breaches.size());
        assertThat(breaches).as("edited codes the verifier mishandled").isEmpty();
    }

    private static String editText(String text, String prefix, Random random) {
        StringBuilder out = new StringBuilder(text);
        int at = prefix.length() + random.nextInt(text.length() - prefix.length());
        switch (random.nextInt(5)) {
            case 0 -> out.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            case 1 -> out.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            case 2 -> out.deleteCharAt(at);
            case 3 -> out.setLength(at);
            default -> out.setCharAt(at, Character.toLowerCase(out.charAt(at)));
        }
        return out.toString();
    }

    private static byte[] editBytes(byte[] message, Random random) {
        int at = random.nextInt(message.length);
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] out = message.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                yield out;
            }
            case 1 -> {
                byte[] out = new byte[message.length + 1];
                System.arraycopy(message, 0, out, 0, at);
                out[at] = (byte) random.nextInt(256);
                System.arraycopy(message, at, out, at + 1, message.length - at);
                yield out;
            }
            case 2 -> {
                byte[] out = new byte[message.length - 1];
                System.arraycopy(message, 0, out, 0, at);
                System.arraycopy(message, at + 1, out, at, message.length - at - 1);
                yield out;
            }
            default -> Arrays.copyOf(message, at);
        };
    }

    private static byte[] pack(byte[] message, Random random) {
        return random.nextBoolean() ? message : Zlib.compress(message, Deflater.BEST_COMPRESSION);
    }
}
