package cn.yinxin.licence.licences;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.core.licence.Uscc;

/**
 * Who holds a licence: a person (name and resident ID number, GB 11643) or an organisation (name and USCC,
 * GB 32100), each number checked by its check character.
 */
public record Holder(Kind kind, String name, String number) {

    public enum Kind { PERSON, ORGANISATION }

    public Holder {
        if (kind == null) {
            throw new RejectedException(Problem.INVALID_HOLDER, "Say whether the holder is a PERSON or an ORGANISATION.");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new RejectedException(Problem.INVALID_HOLDER, "The holder's name has 1 to 100 characters.");
        }
        name = name.strip();
        number = number == null ? null : number.strip().toUpperCase();
        if (kind == Kind.PERSON && !ResidentId.isValid(number)) {
            throw new RejectedException(Problem.INVALID_HOLDER, "'" + number + "' is not a valid resident ID number "
                    + "(18 characters, birth date, check character).");
        }
        if (kind == Kind.ORGANISATION && !Uscc.isValid(number)) {
            throw new RejectedException(Problem.INVALID_HOLDER, "'" + number + "' is not a valid Unified Social Credit Code.");
        }
    }

    /** The number as printed where anyone can read it: a person's is masked, an organisation's is public. */
    public String masked() {
        return kind == Kind.PERSON ? number.substring(0, 6) + "********" + number.substring(14) : number;
    }
}
