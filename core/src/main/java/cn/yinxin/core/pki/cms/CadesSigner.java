package cn.yinxin.core.pki.cms;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;
import cn.yinxin.core.pki.keys.Sm2Signatures;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * Makes the detached CMS SignedData of a PAdES baseline signature (ETSI EN 319 142-1, CAdES detached):
 * signed attributes content-type, message-digest and signing-certificate-v2, and no signing-time
 * (PAdES puts the claimed time in the signature dictionary's /M).
 */
public final class CadesSigner {

    private final SealKey key;
    private final JcaCertStore certificates;
    private final AttributeTable signingCertificate;
    private final CmsFlavour flavour;

    public CadesSigner(SealKey key) throws GeneralSecurityException {
        this(key, CmsFlavour.PKCS7);
    }

    /**
     * @param flavour the content types to write: {@link CmsFlavour#GMT_0010} only with an SM2 key (the SignerInfo
     *                is the same in both: SM3 digest 1.2.156.10197.1.401, SM3withSM2 signature 1.2.156.10197.1.501)
     */
    public CadesSigner(SealKey key, CmsFlavour flavour) throws GeneralSecurityException {
        if (flavour == CmsFlavour.GMT_0010 && !Sm2Signatures.isSm2(key.certificate().getPublicKey())) {
            throw new IllegalArgumentException("the GM/T 0010 CMS content types go with SM2 keys only");
        }
        this.key = key;
        this.flavour = flavour;
        this.certificates = new JcaCertStore(key.chain());
        this.signingCertificate = signingCertificateV2(key.certificate());
    }

    /** Signs the given bytes (for a PDF: the two ranges of its /ByteRange, concatenated). */
    public byte[] sign(byte[] content) throws GeneralSecurityException {
        return sign(content, null);
    }

    /**
     * Signs, and with a time-stamper adds the signature time-stamp (CAdES-T, PAdES B-T): an RFC 3161 token over
     * the signature value, as the unsigned attribute id-aa-signatureTimeStampToken.
     */
    public byte[] sign(byte[] content, TimeStamper timeStamper) throws GeneralSecurityException {
        return sign(new ByteArrayInputStream(content), timeStamper);
    }

    /**
     * As {@link #sign(byte[], TimeStamper)} for content read from a stream to its end: only its digest is kept, so
     * the content may be of any size (a PDF of hundreds of megabytes read from a file).
     */
    public byte[] sign(InputStream content, TimeStamper timeStamper) throws GeneralSecurityException {
        byte[] signed = signOnly(new StreamedContent(content, flavour.dataType()));
        if (timeStamper == null) {
            return withFlavour(signed);
        }
        try {
            CMSSignedData cms = new CMSSignedData(signed);
            SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
            byte[] token = timeStamper.timeStamp(signer.getSignature());
            var attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
                    new DERSet(ASN1Primitive.fromByteArray(token))));
            SignerInformation stamped = SignerInformation.replaceUnsignedAttributes(signer, new AttributeTable(attributes));
            return withFlavour(CMSSignedData.replaceSigners(cms, new SignerInformationStore(stamped)).getEncoded());
        } catch (CMSException | IOException e) {
            throw new GeneralSecurityException("the time-stamp cannot be added: " + e.getMessage(), e);
        }
    }

    /** The ContentInfo with this flavour's SignedData content type (Bouncy Castle always writes the PKCS#7 one). */
    private byte[] withFlavour(byte[] cms) throws GeneralSecurityException {
        if (flavour == CmsFlavour.PKCS7) {
            return cms;
        }
        try {
            ContentInfo info = ContentInfo.getInstance(cms);
            return new ContentInfo(flavour.signedDataType(), info.getContent()).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new GeneralSecurityException("the CMS cannot be re-encoded: " + e.getMessage(), e);
        }
    }

    private byte[] signOnly(CMSTypedData content) throws GeneralSecurityException {
        try {
            var contentSigner = Signers.of(key);
            var signerInfo = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(new WithoutSigningTime(signingCertificate))
                    .build(contentSigner, key.certificate());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificates(certificates);
            // detached: Bouncy Castle writes the content once, through the digest calculator, and keeps none of it
            return generator.generate(content, false).getEncoded();
        } catch (CMSException e) {
            if (e.getCause() instanceof IOException unreadable) {
                // the content could not be read (a file): no signature problem
                throw new UncheckedIOException("the content to sign cannot be read: " + unreadable.getMessage(), unreadable);
            }
            throw new GeneralSecurityException("CMS signature failed: " + e.getMessage(), e);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("CMS signature failed: " + e.getMessage(), e);
        }
    }

    private static AttributeTable signingCertificateV2(X509Certificate certificate) throws GeneralSecurityException {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        var issuer = new GeneralNames(new GeneralName(
                X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded())));
        var certId = new ESSCertIDv2(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256), hash,
                new IssuerSerial(issuer, certificate.getSerialNumber()));
        var vector = new ASN1EncodableVector();
        vector.add(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {certId}))));
        return new AttributeTable(vector);
    }

    /** Content read once from a stream (id-data, or GM/T 0010 data): enough for a detached signature, which only needs its digest. */
    private static final class StreamedContent implements CMSTypedData {
        private final InputStream in;
        private final ASN1ObjectIdentifier type;
        private boolean read;

        StreamedContent(InputStream in, ASN1ObjectIdentifier type) {
            this.in = in;
            this.type = type;
        }

        @Override
        public ASN1ObjectIdentifier getContentType() {
            return type;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            if (read) {
                throw new IllegalStateException("streamed content can be read only once");
            }
            read = true;
            in.transferTo(out);
        }

        @Override
        public Object getContent() {
            return in;
        }
    }

    /** Bouncy Castle adds signing-time by default; PAdES baseline forbids it. */
    private static final class WithoutSigningTime implements CMSAttributeTableGenerator {
        private final DefaultSignedAttributeTableGenerator standard;

        WithoutSigningTime(AttributeTable extra) {
            this.standard = new DefaultSignedAttributeTableGenerator(extra);
        }

        @Override
        public AttributeTable getAttributes(@SuppressWarnings("rawtypes") Map parameters) {
            return standard.getAttributes(parameters).remove(CMSAttributes.signingTime);
        }
    }
}
