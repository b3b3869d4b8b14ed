package cn.yinxin.core.pdf.verify.changes;

/**
 * Whether the signature (or document time-stamp) whose /ByteRange is given verifies over its bytes: the signature
 * value against its signer's key and the message digest (a time-stamp's imprint) against the signed bytes. The
 * verifier answers from the checks it has already made; null means it does not know that signature.
 */
@FunctionalInterface
public interface SignatureIntegrity {

    Boolean verifies(long[] byteRange);
}
