package cn.yinxin.licence.types;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A kind of licence: its type code (GB/T 36904: the defining authority's USCC plus 3 digits), its name, the JSON
 * Schema of its fields, the layout of its files, the seal that signs its PDF and at which level, how many years a
 * licence of the type is valid by default (null: without end), the files it issues (PDF, OFD or both) and the SM2
 * seal whose GB/T 38540 seal signs its OFD ({@code ofdSealId}, null when it issues PDF only).
 */
public record LicenceType(String code, String name, String fieldsSchema, Template template, String sealId,
                          String signatureLevel, Integer validityYears, String createdBy, Instant createdAt,
                          Set<Format> formats, String ofdSealId) {

    /** The files a licence is issued as: the PAdES-sealed PDF, the GB/T 33190 OFD with a GB/T 38540 seal. */
    public enum Format {
        PDF, OFD;

        /** "PDF", "OFD" or "PDF,OFD", as stored. */
        static String stored(Set<Format> formats) {
            return formats.contains(PDF) && formats.contains(OFD) ? "PDF,OFD" : formats.contains(OFD) ? "OFD" : "PDF";
        }

        static Set<Format> parse(String stored) {
            var set = EnumSet.noneOf(Format.class);
            for (String one : stored.split(",")) {
                set.add(valueOf(one.strip().toUpperCase(Locale.ROOT)));
            }
            return Set.copyOf(set);
        }
    }

    public LicenceType {
        formats = formats == null || formats.isEmpty() ? Set.of(Format.PDF) : Set.copyOf(formats);
    }

    /** A type that issues PDF only (as every type did before OFD licences). */
    public LicenceType(String code, String name, String fieldsSchema, Template template, String sealId,
                       String signatureLevel, Integer validityYears, String createdBy, Instant createdAt) {
        this(code, name, fieldsSchema, template, sealId, signatureLevel, validityYears, createdBy, createdAt,
                Set.of(Format.PDF), null);
    }

    public boolean issues(Format format) {
        return formats.contains(format);
    }

    /**
     * How the licence looks: a title, an accent colour (hex), and the label printed for each field key (fields
     * without a label are printed under their key).
     */
    public record Template(String title, String accent, Map<String, String> labels) {
    }

    /**
     * The defining authority of a type code (its first 18 characters, a USCC), or null when the code is too short to
     * name one (it is refused elsewhere). The issuing agency is another matter: the agency of the type's seal.
     */
    public static String officeOf(String typeCode) {
        return typeCode == null || typeCode.length() < 18 ? null : typeCode.substring(0, 18).toUpperCase(Locale.ROOT);
    }
}
