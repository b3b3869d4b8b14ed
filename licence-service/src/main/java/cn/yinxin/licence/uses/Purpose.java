package cn.yinxin.licence.uses;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import tools.jackson.databind.JsonNode;

/**
 * 用证事由: why an office uses a holder's personal data, in the words of GB/T 36906 gateways: a purpose text of at
 * most 200 characters and the number of the case or approval item it serves (so the use can be traced to the file
 * that needed it). The same rule holds for an officer looking a holder up and for an office using a consent.
 */
public record Purpose(String text, String caseNumber) {

    public static final int MAX_TEXT = 200;
    public static final int MAX_CASE_NUMBER = 64;

    public Purpose {
        text = text == null ? null : text.strip();
        caseNumber = caseNumber == null ? null : caseNumber.strip();
        if (text == null || text.isEmpty()) {
            throw new RejectedException(Problem.PURPOSE_INVALID, "Say why you need the holder's data: purpose "
                    + "(用证事由, 1 to " + MAX_TEXT + " characters) and caseNumber.");
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw new RejectedException(Problem.PURPOSE_INVALID, "purpose has at most " + MAX_TEXT + " characters.");
        }
        if (caseNumber == null || caseNumber.isEmpty()) {
            throw new RejectedException(Problem.PURPOSE_INVALID, "caseNumber (the case or approval-item number the "
                    + "use serves) is required.");
        }
        // a case number is printed on a file and typed by a clerk: letters, digits and the usual separators only,
        // so it cannot smuggle line breaks or markup into the audit log and the holder's page
        if (caseNumber.length() > MAX_CASE_NUMBER || !caseNumber.matches("[\\p{IsHan}\\p{L}\\p{N} ()（）〔〕\\[\\]_./:#-]+")) {
            throw new RejectedException(Problem.PURPOSE_INVALID, "caseNumber has 1 to " + MAX_CASE_NUMBER
                    + " letters, digits, spaces or ( ) 〔 〕 [ ] _ . / : # -.");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new RejectedException(Problem.PURPOSE_INVALID, "purpose is one line of text.");
        }
    }

    /** From a JSON body's {@code purpose} and {@code caseNumber}. */
    public static Purpose of(JsonNode body) {
        return new Purpose(body == null ? null : body.path("purpose").asString(null),
                body == null ? null : body.path("caseNumber").asString(null));
    }
}
