package cn.yinxin.verifier.trust.seals;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A seal directory held in memory, for fast tests of the checks: the seals are what the test says the seal service
 * published, "fetched" at the time it says; the signers among them are worked out as the running verifier works them
 * out ({@link SignerChains}, the same chain building and the same refusal of certificates that are no seal's).
 * Nothing is fetched: {@link #refresh()} and {@link #mayRefetch()} answer false.
 */
public final class InMemorySealDirectory implements SealDirectory {

    private final SignerChains chains;
    private volatile List<Seal> seals;
    private volatile Instant fetchedAt;

    /** The seals as published at {@code fetchedAt}. */
    public InMemorySealDirectory(List<Seal> seals, Instant fetchedAt, Clock clock) {
        this.seals = List.copyOf(seals);
        this.fetchedAt = fetchedAt;
        this.chains = new SignerChains(clock);
    }

    /** The seal service published these seals at {@code when}. */
    public void publish(List<Seal> seals, Instant when) {
        this.seals = List.copyOf(seals);
        this.fetchedAt = when;
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public Instant fetchedAt() {
        return fetchedAt;
    }

    @Override
    public String source() {
        return "memory";
    }

    @Override
    public String lastError() {
        return null;
    }

    @Override
    public int size() {
        return seals.size();
    }

    @Override
    public List<X509Certificate> caCertificates() {
        return seals.stream().flatMap(seal -> seal.chain().subList(1, seal.chain().size()).stream()).distinct().toList();
    }

    @Override
    public boolean mayRefetch() {
        return false;
    }

    @Override
    public boolean refresh() {
        return false;
    }

    @Override
    public Signers signersKnown(List<X509Certificate> anchors) {
        return signers(anchors); // in memory, worked out at once: nothing to wait for
    }

    @Override
    public Signers signers(List<X509Certificate> anchors) {
        return chains.build(seals, anchors);
    }
}
