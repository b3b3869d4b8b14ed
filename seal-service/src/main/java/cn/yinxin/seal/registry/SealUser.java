package cn.yinxin.seal.registry;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SignatureLevel;

import java.util.Set;

/**
 * An approval-system client allowed to stamp with a seal, and how: at which signature levels, whether it may
 * certify documents (DocMDP) and whether it may put cross-page seals.
 */
public record SealUser(String client, Set<SignatureLevel> levels, boolean certify, boolean crossPage) {

    public SealUser {
        if (client == null || !client.matches("[A-Za-z0-9._@:-]{1,100}")) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A seal user is a client id of 1 to 100 letters, "
                    + "digits and . _ @ : -; got '" + client + "'.");
        }
        if (levels == null || levels.isEmpty()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Seal user '" + client + "' needs at least one level.");
        }
        levels = Set.copyOf(levels);
    }
}
