package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdPackage;
import cn.yinxin.core.ofd.OfdSigning;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a seal's References fix, and what differs now (GB/T 33190 section 18.2.2: each Reference's CheckValue is the
 * digest of the file FileRef names). A file changed or removed since is a change that breaks the seal. A file the
 * seal does not cover is a change unless it is one that continue-signing allows: Signatures.xml (which gains each
 * later seal's entry), this seal's own Signature.xml and SignedValue.dat, and the files of a later seal listed in
 * Signatures.xml (its Signature.xml, SignedValue.dat and Seal.esl). Everything else (a new page, a new resource, a
 * file nothing covers) is reported and not allowed, and so is an earlier seal this seal covers that Signatures.xml no
 * longer lists ({@link UnlistedSeals}: the seal was on the page when this one was made, and is not drawn now).
 */
final class Coverage {

    /** The changes, and whether the references themselves still hold (no covered file changed or removed). */
    record Result(List<Change> changes, boolean intact, int covered) {
    }

    private Coverage() {
    }

    /**
     * @param ownFiles       this seal's Signature.xml and SignedValue.dat
     * @param laterSealFiles the files of the other seals listed now, with which seal they belong to
     * @param digests        digests computed so far ("algorithm entry"), shared by the document's seals: each
     *                       entry is hashed once however many seals and References name it
     * @param unlisted       signature files in the package that Signatures.xml does not list
     */
    static Result check(OfdDocument document, SignatureXml signature, String digestAlgorithm, Set<String> ownFiles,
                        Map<String, String> laterSealFiles, Map<String, byte[]> digests, Set<String> unlisted,
                        int maxChanges) {
        OfdPackage pack = document.pack();
        Changes changes = new Changes(maxChanges);
        Set<String> covered = new HashSet<>();
        boolean intact = true;
        for (SignatureXml.Reference reference : signature.references()) {
            covered.add(reference.entry());
            if (!pack.has(reference.entry())) {
                intact = false;
                changes.add(new Change("removed", page(document, reference.entry()), false, "\"/" + reference.entry()
                        + "\" was sealed and is no longer in the package."));
                continue;
            }
            // each entry hashed once (100 seals of 100,000 References to the largest entry would otherwise cost
            // ten million digests of it)
            byte[] digest = digests.computeIfAbsent(digestAlgorithm + " " + reference.entry(),
                    key -> digest(pack.get(reference.entry()), digestAlgorithm));
            if (reference.checkValue() == null || !MessageDigest.isEqual(digest, reference.checkValue())) {
                intact = false;
                changes.add(new Change("changed", page(document, reference.entry()), false, "\"/" + reference.entry()
                        + "\" was changed after sealing (its " + digestAlgorithm + " digest is not the CheckValue)."));
            }
            if (unlisted.contains(reference.entry())) {
                changes.add(new Change("seal-removed", null, false, "The seal whose signature is \"/"
                        + reference.entry() + "\" was in the document when this seal was made and is no longer "
                        + "listed in Signatures.xml: it is no longer shown."));
            }
        }
        // a later seal is one whose files this seal does not cover (an earlier seal's files it does)
        boolean laterSeal = laterSealFiles.keySet().stream().anyMatch(f -> !covered.contains(f));
        for (String entry : pack.names()) {
            if (covered.contains(entry) || ownFiles.contains(entry)) {
                continue;
            }
            if (entry.equals(document.signaturesXml())) {
                if (!laterSeal) {
                    continue; // no later seal: nothing to report on the list that names this one
                }
                changes.add(new Change("signatures-list", null, true, "Signatures.xml lists the seals; continue-"
                        + "signing leaves it open for later seals."));
                continue;
            }
            String later = laterSealFiles.get(entry);
            if (later != null) {
                changes.add(new Change("later-seal", null, true, "\"/" + entry + "\" belongs to the later seal "
                        + later + "."));
                continue;
            }
            changes.add(new Change("added", page(document, entry), false, "\"/" + entry + "\" is not covered by this "
                    + "seal: it was added or left out after sealing."));
        }
        return new Result(changes.list(), intact, covered.size());
    }

    /**
     * The changes, at most {@code max} listed one by one: the rest are counted in one last change, not allowed when
     * any of them is not (so the verdict is the same as with all listed), to bound the report's size.
     */
    private static final class Changes {
        private final int max;
        private final List<Change> listed = new ArrayList<>();
        private int more;
        private boolean moreAllowed = true;

        Changes(int max) {
            this.max = max;
        }

        void add(Change change) {
            if (listed.size() < max) {
                listed.add(change);
            } else {
                more++;
                moreAllowed &= change.allowed();
            }
        }

        List<Change> list() {
            if (more == 0) {
                return listed;
            }
            List<Change> all = new ArrayList<>(listed);
            all.add(new Change("more", null, moreAllowed, more + " more change(s) are not listed (at most " + max
                    + " are)" + (moreAllowed ? "; all of them are allowed." : "; some of them are not allowed.")));
            return all;
        }
    }

    private static byte[] digest(byte[] bytes, String algorithm) {
        try {
            return algorithm.equals("SM3") ? OfdSigning.sm3(bytes) : MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The page number a changed file is the content of, or null. */
    private static Integer page(OfdDocument document, String entry) {
        return document.pages().stream().filter(p -> p.content().equals(entry)).map(OfdDocument.Page::number)
                .findFirst().orElse(null);
    }
}
