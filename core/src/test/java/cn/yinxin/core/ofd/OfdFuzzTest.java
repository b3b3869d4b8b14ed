package cn.yinxin.core.ofd;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A genuinely sealed OFD (two seals), edited at random as a zip tool and a text editor would: an attribute's value
 * changed or removed, an element repeated or removed, a number changed, a file added (a copy of another under a new
 * name) or removed, or bytes of the package flipped. What must hold: no exception but a refusal (anything else is a
 * 500 at the verifier), no verification over 10 s, and a VALID answer only when every file a seal covers is as
 * sealed, no file was added, and the report lists the seals it listed before ({@code Signatures.xml}, which no seal
 * can cover, may be edited). {@code -Dfuzz.cases=N -Dfuzz.seed=S} for more.
 */
class OfdFuzzTest {

    private static final int CASES = Integer.getInteger("fuzz.cases", 200);
    private static final long SEED = Long.getLong("fuzz.seed", 20261208L);
    private static final Pattern ATTRIBUTE = Pattern.compile(" ([A-Za-z:]+)=\"([^\"]*)\"");
    private static final Pattern ELEMENT = Pattern.compile("<(ofd:[A-Za-z]+)[^<>]*/>|<(ofd:[A-Za-z]+)[^<>]*>[^<>]*</\\2>");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    private static final String[] VALUES = {"0", "1", "-1", "1000000", "Doc_0/Signs/Sign_0/Signature.xml",
        "/Doc_0/Pages/Page_0/Content.xml", "Seal", "Sign", "", "0 0 210 297", "2", "99999999", "../OFD.xml", "元"};

    @Test
    void noEditOfASealedOfdIsValidUnlessWhatTheSealsCoverIsAsSealed() throws Exception {
        OfdMaterial material = new OfdMaterial();
        byte[] once = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        byte[] sealed = new OfdSealer(material.timeStamper()).seal(once,
                material.secondRequest(new SealPlacement(1, 60, 200)));
        OfdVerifier verifier = material.verifierKnowingTheSeals();
        VerificationReport genuine = verifier.verify(sealed);
        assertThat(genuine.verdict()).as(genuine.toString()).isEqualTo(Verdict.VALID);
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        List<String> names = new ArrayList<>(pack.names());

        Random random = new Random(SEED);
        List<String> breaches = new ArrayList<>();
        int valid = 0;
        for (int i = 0; i < CASES; i++) {
            String name = names.get(random.nextInt(names.size()));
            String what;
            byte[] edited;
            int kind = random.nextInt(10);
            if (kind == 0) {
                edited = sealed.clone();
                int at = random.nextInt(edited.length);
                edited[at] ^= (byte) (1 << random.nextInt(8));
                what = "bit flipped at " + at;
            } else if (kind == 1) {
                String copy = name.replaceAll("(\\.[a-z]+)$", "_1$1");
                edited = pack.with(copy.equals(name) ? name + "_1" : copy, pack.get(name)).toZip();
                what = name + " copied as " + copy;
            } else if (kind == 2) {
                edited = pack.without(name).toZip();
                what = name + " removed";
            } else {
                String text = new String(pack.get(name), StandardCharsets.UTF_8);
                String changed = editXml(text, random);
                if (changed == null || changed.equals(text)) {
                    continue;
                }
                edited = pack.with(name, changed.getBytes(StandardCharsets.UTF_8)).toZip();
                what = name + ": " + describe(text, changed);
            }
            String label = "case " + i + " (" + what + ")";
            long started = System.nanoTime();
            try {
                VerificationReport report = verifier.verify(edited);
                if (report.verdict() == Verdict.VALID) {
                    valid++;
                    String why = validButWrong(pack, edited, genuine, report);
                    if (why != null) {
                        breaches.add(label + " -> VALID, but " + why);
                    }
                }
            } catch (RejectedException refused) {
                // a damaged package
            } catch (RuntimeException | Error e) {
                breaches.add(label + " -> " + e + " at " + Arrays.stream(e.getStackTrace()).limit(4).toList());
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 10_000) {
                breaches.add(label + " -> took " + millis + " ms");
            }
        }
        System.out.printf("OfdFuzzTest: %d cases, %d VALID, %d breaches%n", CASES, valid, breaches.size());
        assertThat(breaches).as("edits the verifier mishandled").isEmpty();
    }

    /** Why a VALID answer is wrong for this package, or null. */
    private static String validButWrong(OfdPackage sealed, byte[] edited, VerificationReport genuine,
                                        VerificationReport report) {
        OfdPackage now;
        try {
            now = OfdPackage.read(edited, OfdLimits.DEFAULT);
        } catch (RejectedException e) {
            return "the package cannot be read by our own reader";
        }
        for (String name : now.names()) {
            if (!sealed.has(name)) {
                return "a file was added: " + name;
            }
            if (!name.endsWith("Signatures.xml") && !Arrays.equals(sealed.get(name), now.get(name))) {
                return "a sealed file changed: " + name;
            }
        }
        // by who sealed and when (a Signature's ID in Signatures.xml is a free label, shown as the field's name)
        List<String> before = genuine.signatures().stream().map(OfdFuzzTest::sealer).sorted().toList();
        List<String> after = report.signatures().stream().map(OfdFuzzTest::sealer).sorted().toList();
        return before.equals(after) ? null : "the seals listed changed: " + before + " -> " + after;
    }

    private static String sealer(VerificationReport.SignatureReport signature) {
        return (signature.signer() == null ? "?" : signature.signer().subject()) + " at "
                + signature.claimedSigningTime();
    }

    private static String editXml(String text, Random random) {
        switch (random.nextInt(4)) {
            case 0 -> {
                List<MatchResult> found = all(ATTRIBUTE.matcher(text));
                if (found.isEmpty()) {
                    return null;
                }
                MatchResult m = found.get(random.nextInt(found.size()));
                String replacement = random.nextInt(4) == 0 ? ""
                        : " " + m.group(1) + "=\"" + VALUES[random.nextInt(VALUES.length)] + "\"";
                return text.substring(0, m.start()) + replacement + text.substring(m.end());
            }
            case 1, 2 -> {
                List<MatchResult> found = all(ELEMENT.matcher(text));
                if (found.isEmpty()) {
                    return null;
                }
                MatchResult m = found.get(random.nextInt(found.size()));
                String element = text.substring(m.start(), m.end());
                return text.substring(0, m.start()) + (random.nextBoolean() ? element + element : "")
                        + text.substring(m.end());
            }
            default -> {
                List<MatchResult> found = all(NUMBER.matcher(text));
                if (found.isEmpty()) {
                    return null;
                }
                MatchResult m = found.get(random.nextInt(found.size()));
                return text.substring(0, m.start()) + VALUES[random.nextInt(3)] + text.substring(m.end());
            }
        }
    }

    private static List<MatchResult> all(Matcher matcher) {
        List<MatchResult> found = new ArrayList<>();
        while (matcher.find() && found.size() < 500) {
            found.add(matcher.toMatchResult());
        }
        return found;
    }

    private static String describe(String before, String after) {
        int at = 0;
        while (at < before.length() && at < after.length() && before.charAt(at) == after.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 30);
        return "at " + at + ": ..." + after.substring(from, Math.min(after.length(), at + 60)).replace('\n', ' ');
    }
}
