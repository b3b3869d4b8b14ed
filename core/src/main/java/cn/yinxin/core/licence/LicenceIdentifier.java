package cn.yinxin.core.licence;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

/**
 * A licence identifier as used on the national platform (GB/T 36904):
 * {@code 1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>}. The type code is the defining authority's
 * USCC plus a 3-digit number (21 characters), the issuer the issuing authority's USCC (18), the serial free
 * alphanumeric, the version 3 digits, and the check character ISO 7064 MOD 37,36 over type, issuer, serial and
 * version written together.
 */
public record LicenceIdentifier(String typeCode, String issuerCode, String serial, int version) {

    public static final String PREFIX = "1.2.156.3005.2.";

    public LicenceIdentifier {
        if (!isTypeCode(typeCode)) {
            throw invalid("the type code is a USCC plus 3 digits (21 characters); got '" + typeCode + "'");
        }
        if (!Uscc.isValid(issuerCode)) {
            throw invalid("the issuer code is the issuing authority's USCC; got '" + issuerCode + "'");
        }
        if (serial == null || !serial.matches("[0-9A-Z]{1,40}")) {
            throw invalid("the serial is 1 to 40 digits or capital letters; got '" + serial + "'");
        }
        if (version < 1 || version > 999) {
            throw invalid("the version is 1 to 999; got " + version);
        }
    }

    /** A USCC followed by three digits. */
    public static boolean isTypeCode(String code) {
        return code != null && code.length() == 21 && Uscc.isValid(code.substring(0, 18))
                && code.substring(18).chars().allMatch(Character::isDigit);
    }

    public char check() {
        return Iso7064.mod3736(typeCode + issuerCode + serial + versionText());
    }

    public String versionText() {
        return String.format("%03d", version);
    }

    /** The identifier with the next version (a renewal or an amendment). */
    public LicenceIdentifier nextVersion() {
        return new LicenceIdentifier(typeCode, issuerCode, serial, version + 1);
    }

    @Override
    public String toString() {
        return PREFIX + typeCode + "." + issuerCode + "." + serial + "." + versionText() + "." + check();
    }

    /** Parses and checks an identifier (check character included); a clear refusal otherwise. */
    public static LicenceIdentifier parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw invalid("a licence identifier starts with " + PREFIX);
        }
        String[] parts = text.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 5 || parts[4].length() != 1 || !parts[3].matches("\\d{3}")) {
            throw invalid("a licence identifier is " + PREFIX + "<type>.<issuer>.<serial>.<version>.<check>");
        }
        LicenceIdentifier identifier = new LicenceIdentifier(parts[0], parts[1], parts[2], Integer.parseInt(parts[3]));
        if (identifier.check() != parts[4].charAt(0)) {
            throw invalid("the check character is wrong: " + parts[4] + " (expected " + identifier.check()
                    + "); the identifier was mistyped or altered");
        }
        return identifier;
    }

    private static RejectedException invalid(String message) {
        return new RejectedException(Problem.INVALID_LICENCE_IDENTIFIER, "Not a valid licence identifier: " + message + ".");
    }
}
