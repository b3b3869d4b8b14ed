package cn.yinxin.verifier.trust.seals;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The certificates that may sign QR codes, as the checks see them: the seals the seal service publishes, each with
 * its status, and which of their certificates chain to the verifier's trust anchors. The checks (QR codes, OFD chains,
 * trust freshness) depend on this and nothing more, so a test can hand them a directory held in memory;
 * {@link FetchedSealDirectory} is the one the verifier runs with (fetched over HTTP, kept on disk).
 */
public interface SealDirectory {

    /** Whether a seal service is configured at all (without one no QR code can be confirmed). */
    boolean configured();

    /** When the seal list in use was fetched from the seal service; null: never. */
    Instant fetchedAt();

    /** Where the seal list in use came from: the seal service's address, or "the cached copy"; null: nowhere. */
    String source();

    /** Why the last fetch failed; null when it did not. */
    String lastError();

    /** How many seals are known. */
    int size();

    /**
     * The CA certificates of the seals' published chains (all but each chain's first), current and earlier: an OFD
     * seal carries only the signer's and the seal maker's certificates, so these help build its chains. Fetched
     * over plain HTTP, they confer no trust: a chain still has to end at a trust anchor.
     */
    List<X509Certificate> caCertificates();

    /**
     * Whether an unknown key id may make the verifier ask the seal service now (a seal created since the last
     * fetch); rate-limited, so a flood of unknown codes cannot flood the seal service.
     */
    boolean mayRefetch();

    /** Fetches the seals again; keeps what it has when that fails. Blocking. */
    boolean refresh();

    /**
     * The signers already worked out for {@code anchors} and the seals in hand, or null when {@link #signers} would
     * have to build the chains (milliseconds of work: not for an event loop).
     */
    Signers signersKnown(List<X509Certificate> anchors);

    /** The seals whose certificate chains to {@code anchors}, each with its key id; cached per set of anchors. */
    Signers signers(List<X509Certificate> anchors);
}
