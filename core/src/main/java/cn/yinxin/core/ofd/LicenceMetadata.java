package cn.yinxin.core.ofd;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GB/T 36903 (section 5.2) licence metadata an e-licence OFD carries in OFD.xml
 * {@code DocInfo/CustomDatas/CustomData} (name and value). The standard's text was not available to us: the names
 * below are the data elements as the national platform's documents describe them, with English names chosen by us
 * (written) and the pinyin initials seen in provincial interfaces (read, with the Chinese names themselves), see
 * {@link Field}. Dates are written yyyy-MM-dd; an open-ended validity is written "长期".
 *
 * @param holderCodeType 111 resident ID number, 001 Unified Social Credit Code
 * @param validUntil     null: no end ("长期")
 */
public record LicenceMetadata(String name, String typeCode, String number, String identifier, String issuerName,
                              String issuerCode, LocalDate issueDate, String holderName, String holderCode,
                              String holderCodeType, LocalDate validFrom, LocalDate validUntil) {

    /** How GB/T 36903 writes an open-ended validity. */
    public static final String OPEN_ENDED = "长期";

    /** Each data element: the English name written, and the other names read (pinyin initials, Chinese). */
    public enum Field {
        NAME("CertificateName", "ZZMC", "证照名称"),
        TYPE_CODE("CertificateTypeCode", "ZZLXDM", "证照类型代码"),
        NUMBER("CertificateNumber", "ZZBH", "证照编号"),
        IDENTIFIER("CertificateIdentifier", "ZZBS", "证照标识"),
        ISSUER_NAME("CertificateIssuingAuthorityName", "ZZBFJG", "BFJG", "颁发机构"),
        ISSUER_CODE("CertificateIssuingAuthorityCode", "ZZBFJGDM", "BFJGDM", "颁发机构代码"),
        ISSUE_DATE("CertificateIssuedDate", "ZZBFRQ", "BFRQ", "颁发日期"),
        HOLDER_NAME("CertificateHolderName", "CZZT", "持证主体"),
        HOLDER_CODE("CertificateHolderCode", "CZZTDM", "持证主体代码"),
        HOLDER_CODE_TYPE("CertificateHolderTypeCode", "CZZTDMLX", "持证主体代码类型"),
        VALID_FROM("CertificateEffectiveDate", "YXQQSRQ", "ZZYXQQSRQ", "有效期起始日期"),
        VALID_UNTIL("CertificateExpiringDate", "YXQJZRQ", "ZZYXQJZRQ", "有效期截止日期");

        private final String written;
        private final List<String> read;

        Field(String written, String... others) {
            this.written = written;
            this.read = List.of(others);
        }

        /** The name Yinxin writes. */
        public String written() {
            return written;
        }

        boolean matches(String name) {
            String n = name.strip();
            return n.equalsIgnoreCase(written) || read.stream().anyMatch(r -> r.equalsIgnoreCase(n));
        }
    }

    /** The CustomData entries to write, in the order of {@link Field}; empty values left out. */
    public Map<String, String> toCustomData() {
        Map<String, String> data = new LinkedHashMap<>();
        put(data, Field.NAME, name);
        put(data, Field.TYPE_CODE, typeCode);
        put(data, Field.NUMBER, number);
        put(data, Field.IDENTIFIER, identifier);
        put(data, Field.ISSUER_NAME, issuerName);
        put(data, Field.ISSUER_CODE, issuerCode);
        put(data, Field.ISSUE_DATE, issueDate == null ? null : issueDate.toString());
        put(data, Field.HOLDER_NAME, holderName);
        put(data, Field.HOLDER_CODE, holderCode);
        put(data, Field.HOLDER_CODE_TYPE, holderCodeType);
        put(data, Field.VALID_FROM, validFrom == null ? null : validFrom.toString());
        put(data, Field.VALID_UNTIL, validUntil == null ? OPEN_ENDED : validUntil.toString());
        return data;
    }

    /**
     * The metadata in a document's CustomData, under either naming; null when it names no licence identifier and no
     * licence name (not a licence file).
     */
    public static LicenceMetadata fromCustomData(Map<String, String> data) {
        String identifier = find(data, Field.IDENTIFIER);
        String name = find(data, Field.NAME);
        if (identifier == null && name == null) {
            return null;
        }
        String until = find(data, Field.VALID_UNTIL);
        return new LicenceMetadata(name, find(data, Field.TYPE_CODE), find(data, Field.NUMBER), identifier,
                find(data, Field.ISSUER_NAME), find(data, Field.ISSUER_CODE), date(find(data, Field.ISSUE_DATE)),
                find(data, Field.HOLDER_NAME), find(data, Field.HOLDER_CODE), find(data, Field.HOLDER_CODE_TYPE),
                date(find(data, Field.VALID_FROM)), until == null || until.equals(OPEN_ENDED) ? null : date(until));
    }

    private static String find(Map<String, String> data, Field field) {
        for (Map.Entry<String, String> entry : data.entrySet()) {
            if (field.matches(entry.getKey()) && !entry.getValue().isBlank()) {
                return entry.getValue().strip();
            }
        }
        return null;
    }

    /**
     * The written names of the data elements that two of their names give different values (the identifier as
     * CertificateIdentifier and as ZZBS, say: we read one, another reader may show the other); empty when none.
     */
    static List<String> conflicts(Map<String, String> data) {
        List<String> conflicts = new ArrayList<>();
        for (Field field : Field.values()) {
            long values = data.entrySet().stream().filter(e -> field.matches(e.getKey()) && !e.getValue().isBlank())
                    .map(e -> e.getValue().strip()).distinct().count();
            if (values > 1) {
                conflicts.add(field.written());
            }
        }
        return conflicts;
    }

    /** Whether a CustomData name is one of the licence data elements, under any of its names. */
    static boolean isLicenceField(String name) {
        for (Field field : Field.values()) {
            if (field.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /** yyyy-MM-dd, or yyyyMMdd as some interfaces write it; null when neither. */
    private static LocalDate date(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        try {
            return t.length() == 8 && t.chars().allMatch(Character::isDigit)
                    ? LocalDate.parse(t, DateTimeFormatter.BASIC_ISO_DATE) : LocalDate.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void put(Map<String, String> data, Field field, String value) {
        if (value != null && !value.isBlank()) {
            data.put(field.written(), value);
        }
    }
}
