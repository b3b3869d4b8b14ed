package cn.yinxin.core.qr;

import COSE.AlgorithmID;
import COSE.Attribute;
import COSE.HeaderKeys;
import COSE.MessageTag;
import COSE.OneKey;
import COSE.Sign1Message;
import cn.yinxin.core.pki.keys.SealKey;
import com.upokecenter.cbor.CBORObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outside judge: COSE-JAVA (com.augustcellars.cose, the COSE WG chair's implementation) checks the messages we
 * sign, and signs messages that our verifier must accept. Both directions agree on the Sig_structure, the header
 * encoding and the raw r||s signature form.
 */
class IndependentCoseTest {

    private static SealKey seal;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void keys() throws Exception {
        seal = QrKeys.sealKey("COSE 专用章");
    }

    @Test
    void coseJavaVerifiesOurSign1Message() throws Exception {
        CwtClaims claims = QrCodecTest.document().toClaims();
        byte[] ours = new QrSigner(seal).coseSign1(claims);

        Sign1Message message = (Sign1Message) Sign1Message.DecodeFromBytes(ours, MessageTag.Sign1);
        assertThat(message.validate(new OneKey(seal.certificate().getPublicKey(), null))).isTrue();
        assertThat(message.findAttribute(HeaderKeys.Algorithm).AsInt32Value()).isEqualTo(-7);
        assertThat(message.findAttribute(HeaderKeys.KID).GetByteString()).isEqualTo(QrSigner.kid(seal.certificate()));
        assertThat(message.GetContent()).isEqualTo(Cbor.claims(claims).EncodeToBytes());

        // and it refuses our message once a payload byte changed
        ours[ours.length - 70] ^= 1;
        Sign1Message changed = (Sign1Message) Sign1Message.DecodeFromBytes(ours, MessageTag.Sign1);
        assertThat(changed.validate(new OneKey(seal.certificate().getPublicKey(), null))).isFalse();
    }

    @Test
    void ourVerifierAcceptsASign1MessageMadeByCoseJava() throws Exception {
        byte[] payload = Cbor.claims(CwtClaims.builder().issuer("91350100M000100Y43").issuedAt(NOW)
                .put(-65539, "made by COSE-JAVA").build()).EncodeToBytes();
        Sign1Message message = new Sign1Message();
        message.addAttribute(HeaderKeys.Algorithm, AlgorithmID.ECDSA_256.AsCBOR(), Attribute.PROTECTED);
        message.addAttribute(HeaderKeys.KID, CBORObject.FromObject(QrSigner.kid(seal.certificate())), Attribute.PROTECTED);
        message.SetContent(payload);
        message.sign(new OneKey(seal.certificate().getPublicKey(), seal.privateKey()));
        byte[] theirs = message.EncodeToBytes();

        var verified = new QrVerifier(List.of(seal.certificate()), Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(QrSigner.DEFAULT_PREFIX + Base45.encode(theirs));
        assertThat(verified.claims().get(-65539)).isEqualTo("made by COSE-JAVA");
        assertThat(verified.signer()).isEqualTo(seal.certificate());
    }
}
