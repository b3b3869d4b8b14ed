package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.Providers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.params.ByteArrayParams;

/**
 * SM2 keys in a PKCS#11 token. The JDK's SunPKCS11 knows neither the SM2 curve nor any SM2 mechanism, so this part
 * talks to the token through IAIK's PKCS#11 wrapper (ipkcs11wrapper): the key pair is made in the token with the
 * standard CKM_EC_KEY_PAIR_GEN on the SM2 curve (sensitive, not extractable), and signs in the token with the vendor
 * mechanism {@link #CKM_VENDOR_SM3_SM2}: the token computes Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA),
 * e = SM3(Z || M) and the SM2 signature (GB/T 32918.2, GM/T 0009; ID 1234567812345678 unless the mechanism parameter
 * gives one) and returns r || s. The certificate chain is kept beside the key as a data object.
 *
 * <p>A token without that mechanism (Debian's SoftHSM2) holds no SM2 key: {@link #supported()} is false. The
 * project's token with it is SoftHSM2 built with .ci/softhsm-sm2.
 */
public final class Pkcs11Sm2 {

    /** SM3withSM2 as SM2 HSMs commonly number it (CKM_VENDOR_DEFINED + 0x8100). */
    static final long CKM_VENDOR_SM3_SM2 = 0x80008100L;

    /** CKA_ID prefix of the objects made here, so that SunPKCS11's key store never pairs them with its own. */
    private static final String ID_PREFIX = "yinxin-sm2:";
    private static final String CHAIN_APPLICATION = "yinxin SM2 certificate chain (PkiPath)";
    private static final byte[] SM2_CURVE;

    static {
        try {
            SM2_CURVE = GMObjectIdentifiers.sm2p256v1.getEncoded();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One module object per library: PKCS#11 is initialised once per process. */
    private static final Map<Path, PKCS11Module> MODULES = new HashMap<>();

    private final Session session;
    private final boolean supported;
    private final Provider provider;

    private Pkcs11Sm2(Session session, boolean supported) {
        this.session = session;
        this.supported = supported;
        this.provider = new TokenSignature.TokenProvider(this);
    }

    /** Opens a session on the slot and logs in (a login that SunPKCS11 already made holds for this session too). */
    static Pkcs11Sm2 open(Path library, long slotId, char[] pin) throws GeneralSecurityException {
        try {
            PKCS11Module module = module(library);
            Slot slot = null;
            for (Slot s : module.getSlotList(true)) {
                if (s.getSlotID() == slotId) {
                    slot = s;
                }
            }
            if (slot == null) {
                throw new GeneralSecurityException("no token in slot " + slotId + " of " + library);
            }
            long[] mechanisms = slot.getToken().getMechanismList();
            boolean supported = mechanisms != null && Arrays.stream(mechanisms).anyMatch(m -> m == CKM_VENDOR_SM3_SM2)
                    && Arrays.stream(mechanisms).anyMatch(m -> m == PKCS11Constants.CKM_EC_KEY_PAIR_GEN);
            Session session = slot.getToken().openSession(true);
            try {
                session.login(PKCS11Constants.CKU_USER, pin);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() != PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN) {
                    session.closeSession();
                    throw e;
                }
            }
            return new Pkcs11Sm2(session, supported);
        } catch (TokenException | IOException e) {
            throw new GeneralSecurityException("PKCS#11 (SM2) on slot " + slotId + " of " + library + ": "
                    + e.getMessage(), e);
        }
    }

    private static synchronized PKCS11Module module(Path library) throws IOException, TokenException {
        Path key = library.toAbsolutePath().normalize();
        PKCS11Module module = MODULES.get(key);
        if (module == null) {
            module = PKCS11Module.getInstance(key.toString());
            try {
                module.initialize();
            } catch (PKCS11Exception e) {
                // SunPKCS11 initialised the same library in this process first
                if (e.getErrorCode() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                    throw e;
                }
            }
            MODULES.put(key, module);
        }
        return module;
    }

    /** Whether the token makes SM2 keys and signs SM3withSM2. */
    boolean supported() {
        return supported;
    }

    Provider provider() {
        return provider;
    }

    /** A key pair made in the token under {@code alias}: the public key, and the private key as a handle. */
    synchronized KeyVault.NewKey generate(String alias) throws GeneralSecurityException {
        requireSupported();
        byte[] id = id(alias);
        KeyPairTemplate template = new KeyPairTemplate(PKCS11Constants.CKK_EC).token(true).labels(alias).id(id)
                .signVerify(true).private_(true, false).decryptEncrypt(false).derive(false).unwrapWrap(false);
        template.publicKey().ecParams(SM2_CURVE);
        template.privateKey().sensitive(true).extractable(false);
        try {
            PKCS11KeyPair pair = session.generateKeyPair(new Mechanism(PKCS11Constants.CKM_EC_KEY_PAIR_GEN), template);
            byte[] point = session.getAttrValues(pair.getPublicKey(), PKCS11Constants.CKA_EC_POINT).ecPoint();
            return new KeyVault.NewKey(publicKey(point), new TokenKey(this, pair.getPrivateKey()), provider);
        } catch (TokenException e) {
            throw new GeneralSecurityException("the token did not make an SM2 key: " + e.getMessage(), e);
        }
    }

    /** Keeps the chain (signer first) with the key under {@code alias} (Bouncy Castle reads SM2 certificates). */
    synchronized void storeChain(String alias, List<X509Certificate> chain) throws GeneralSecurityException {
        byte[] encoded = CertificateFactory.getInstance("X.509", Providers.bouncyCastle()).generateCertPath(chain).getEncoded("PkiPath");
        AttributeVector data = chainOf(alias).token(true).private_(false).value(encoded);
        try {
            session.createObject(data);
        } catch (TokenException e) {
            throw new GeneralSecurityException("the token did not keep the chain of " + alias + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes every object made for {@code alias} (key pair, chain): a key whose certification or chain failed
     * must not stay in the token, where a later attempt would make a second key of the same name; and a renewed
     * seal's old key must not stay usable.
     */
    synchronized void discard(String alias) throws GeneralSecurityException {
        try {
            for (long handle : session.findAllObjectsSingle(new AttributeVector().id(id(alias)))) {
                session.destroyObject(handle);
            }
            for (long handle : session.findAllObjectsSingle(chainOf(alias))) {
                session.destroyObject(handle);
            }
        } catch (TokenException e) {
            throw new GeneralSecurityException("cannot remove the SM2 key " + alias + ": " + e.getMessage(), e);
        }
    }

    /** The handles of the key under {@code alias} and of its chain, or null when the token holds no such pair. */
    private long[] objects(String alias) throws TokenException {
        long[] keys = session.findObjectsSingle(AttributeVector.newPrivateKey(PKCS11Constants.CKK_EC)
                .label(alias).id(id(alias)), 2);
        long[] chains = session.findObjectsSingle(chainOf(alias), 2);
        return keys.length == 0 || chains.length == 0 ? null : new long[] {keys[0], chains[0]};
    }

    /** Whether the token holds an SM2 key of that name (with its chain). */
    synchronized boolean holds(String alias) throws GeneralSecurityException {
        if (!supported) {
            return false;
        }
        try {
            return objects(alias) != null;
        } catch (TokenException e) {
            throw new GeneralSecurityException("cannot read the SM2 key " + alias + " from the token: " + e.getMessage(), e);
        }
    }

    /** The key under {@code alias} with its chain, or null when the token holds no SM2 key of that name. */
    synchronized SealKey find(String alias) throws GeneralSecurityException {
        if (!supported) {
            return null;
        }
        try {
            long[] objects = objects(alias);
            if (objects == null) {
                return null;
            }
            byte[] encoded = session.getAttrValues(objects[1], PKCS11Constants.CKA_VALUE).value();
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509", Providers.bouncyCastle())
                    .generateCertPath(new ByteArrayInputStream(encoded), "PkiPath").getCertificates().stream()
                    .map(X509Certificate.class::cast).toList();
            return new SealKey(new TokenKey(this, objects[0]), chain, provider);
        } catch (TokenException e) {
            throw new GeneralSecurityException("cannot read the SM2 key " + alias + " from the token: " + e.getMessage(), e);
        }
    }

    /** The names of the SM2 keys in the token. */
    synchronized Set<String> aliases() throws GeneralSecurityException {
        Set<String> names = new TreeSet<>();
        if (!supported) {
            return names;
        }
        try {
            for (long handle : session.findAllObjectsSingle(new AttributeVector().class_(PKCS11Constants.CKO_DATA)
                    .application(CHAIN_APPLICATION))) {
                String label = session.getAttrValues(handle, PKCS11Constants.CKA_LABEL).label();
                if (label != null && objects(label) != null) {
                    names.add(label);
                }
            }
            return names;
        } catch (TokenException e) {
            throw new GeneralSecurityException("cannot list the SM2 keys of the token: " + e.getMessage(), e);
        }
    }

    /** SM3withSM2 over {@code data} by the token; DER SEQUENCE{r, s}. */
    synchronized byte[] sign(long handle, byte[] data, byte[] userId) throws GeneralSecurityException {
        requireSupported();
        try {
            byte[] raw = session.signSingle(new Mechanism(CKM_VENDOR_SM3_SM2, new ByteArrayParams(userId)), handle, data);
            if (raw == null || raw.length != 64) {
                throw new SignatureException("the token's SM2 signature is not 64 bytes r || s");
            }
            return Sm2Signatures.rawToDer(raw);
        } catch (TokenException e) {
            throw new SignatureException("the token did not sign with SM2: " + e.getMessage(), e);
        }
    }

    private void requireSupported() throws GeneralSecurityException {
        if (!supported) {
            throw new NoSm2Mechanism();
        }
    }

    /** The token cannot make or use SM2 keys: a fact about the token, not a failure of one operation. */
    public static final class NoSm2Mechanism extends GeneralSecurityException {
        NoSm2Mechanism() {
            super("SM2 keys in PKCS#11 need a token with SM2 mechanisms (national mode): this one has no"
                    + " CKM_VENDOR_SM3_SM2 (0x80008100)");
        }
    }

    /** The data object that keeps the certificate chain of the key under {@code alias}. */
    private static AttributeVector chainOf(String alias) {
        return new AttributeVector().class_(PKCS11Constants.CKO_DATA).label(alias).application(CHAIN_APPLICATION);
    }

    private static byte[] id(String alias) {
        return (ID_PREFIX + alias).getBytes(StandardCharsets.UTF_8);
    }

    /** The SM2 public key of a CKA_EC_POINT (DER OCTET STRING of 04 || X || Y, or the bare point). */
    private static PublicKey publicKey(byte[] ecPoint) throws GeneralSecurityException {
        byte[] point = ecPoint;
        if (point.length > 0 && point[0] == 0x04 && point.length != 65) {
            point = ASN1OctetString.getInstance(point).getOctets();
        }
        try {
            var info = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                    GMObjectIdentifiers.sm2p256v1), point);
            return KeyFactory.getInstance("EC", Providers.bouncyCastle())
                    .generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (IOException e) {
            throw new GeneralSecurityException("the token's SM2 public key cannot be read", e);
        }
    }

    /** An SM2 private key in the token: a handle only, nothing of the key. */
    static final class TokenKey implements PrivateKey {
        private static final long serialVersionUID = 1L;
        final transient Pkcs11Sm2 token;
        final long handle;

        TokenKey(Pkcs11Sm2 token, long handle) {
            this.token = token;
            this.handle = handle;
        }

        Provider provider() {
            return token.provider;
        }

        @Override
        public String getAlgorithm() {
            return "EC";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }

        @Override
        public String toString() {
            return "SM2 private key in a PKCS#11 token (object " + handle + ")";
        }
    }
}
