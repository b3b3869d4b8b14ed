package cn.yinxin.licence.types;

import java.time.Instant;

/**
 * A kind of licence: its type code (GB/T 36904: the defining authority's USCC plus 3 digits), its name, the JSON
 * Schema of its fields, the layout of its PDF, the seal that signs it and at which level, and how many years a
 * licence of the type is valid by default (null: without end).
 */
public record LicenceType(String code, String name, String fieldsSchema, Template template, String sealId,
                          String signatureLevel, Integer validityYears, String createdBy, Instant createdAt) {

    /**
     * How the licence PDF looks: a title, an accent colour (hex), and the label printed for each field key (fields
     * without a label are printed under their key).
     */
    public record Template(String title, String accent, java.util.Map<String, String> labels) {
    }

    /** The issuing office: the defining authority's USCC, the first 18 characters of the type code. */
    public String office() {
        return officeOf(code);
    }

    /** The office of a type code, or null when the code is too short to name one (it is refused elsewhere). */
    public static String officeOf(String typeCode) {
        return typeCode == null || typeCode.length() < 18 ? null : typeCode.substring(0, 18).toUpperCase(java.util.Locale.ROOT);
    }
}
