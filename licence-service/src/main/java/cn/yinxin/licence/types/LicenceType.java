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

    /**
     * The defining authority of a type code (its first 18 characters, a USCC), or null when the code is too short to
     * name one (it is refused elsewhere). The issuing agency is another matter: the agency of the type's seal.
     */
    public static String officeOf(String typeCode) {
        return typeCode == null || typeCode.length() < 18 ? null : typeCode.substring(0, 18).toUpperCase(java.util.Locale.ROOT);
    }
}
