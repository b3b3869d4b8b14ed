package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The patterns of a licence type's fields, matched as the validator's JDK engine matches them, but each match within
 * {@link #BUDGET}. The JDK's regex has no time limit, and an issuer writes the patterns: a backreference after a
 * nested quantifier ({@code ^(a*)*(\1)$}) backtracks 2^n times on a value of n letters, which held a thread of the
 * licence service for hours per issuance. A match past the budget refuses the value (422 invalid-licence-fields).
 */
final class BoundedPatterns implements RegularExpressionFactory {

    /** Far above any sound pattern's time on a field (microseconds), far below a held thread. */
    static final Duration BUDGET = Duration.ofMillis(100);

    @Override
    public RegularExpression getRegularExpression(String regex) {
        // the same translation of ECMA-262 anchors and property names as the validator's JDK engine
        Pattern pattern = Pattern.compile(RegularExpressions.replaceLongformCharacterProperties(
                RegularExpressions.replaceDollarAnchors(regex)));
        return value -> pattern.matcher(new Timed(value, System.nanoTime() + BUDGET.toNanos())).find();
    }

    /** The value, read by the matcher, that stops the match once the budget is spent (checked every 4,096 reads). */
    private record Timed(String value, long deadline, int[] reads) implements CharSequence {

        Timed(String value, long deadline) {
            this(value, deadline, new int[1]);
        }

        @Override
        public char charAt(int index) {
            if ((++reads[0] & 0xfff) == 0 && System.nanoTime() > deadline) {
                throw new RejectedException(Problem.INVALID_LICENCE_FIELDS, "A field's value could not be checked "
                        + "against its type's pattern within " + BUDGET.toMillis() + " ms: the pattern backtracks "
                        + "without end on it. Ask the type's office to simplify the pattern.");
            }
            return value.charAt(index);
        }

        @Override
        public int length() {
            return value.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Timed(value.substring(start, end), deadline, reads);
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
