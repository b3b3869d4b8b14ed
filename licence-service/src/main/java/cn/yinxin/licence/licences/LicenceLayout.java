package cn.yinxin.licence.licences;

import cn.yinxin.licence.types.FieldSchema;
import cn.yinxin.licence.types.LicenceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.awt.Color;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a licence shows, the same in its PDF ({@link LicencePdf}) and its OFD ({@link LicenceOfd}): the title, the
 * accent colour, the rows of label and value (holder, the type's fields in the schema's order with the template's
 * labels, validity, numbers, issuer, date), and the identifier line. Each renderer only places them on its page.
 */
record LicenceLayout(String title, Color accent, List<Row> rows, String identifierLine) {

    static final String SUBTITLE = "电子证照  Electronic licence";
    static final String QR_CAPTION = "扫码核验 Scan to verify";
    /** Where the seal's centre goes on both files, in mm from the page's top-left corner. */
    static final double SEAL_X_MM = 150;
    static final double SEAL_Y_MM = 245;

    record Row(String label, String value) {
    }

    /** Every text a renderer may draw of this layout (the PDF's fonts are cut to their characters). */
    List<String> texts() {
        List<String> texts = new ArrayList<>(List.of(title, SUBTITLE, identifierLine));
        rows.forEach(row -> texts.addAll(List.of(row.label(), row.value())));
        return texts;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static LicenceLayout of(LicenceType type, Licence licence) {
        Color accent = Color.decode(type.template().accent() == null ? "#b22222" : type.template().accent());
        List<Row> rows = new ArrayList<>();
        boolean person = licence.holder().kind() == Holder.Kind.PERSON;
        rows.add(new Row(person ? "姓名" : "名称", licence.holder().name()));
        rows.add(new Row(person ? "公民身份号码" : "统一社会信用代码", licence.holder().number()));
        JsonNode fields = JSON.readTree(licence.fields());
        for (String key : FieldSchema.propertyOrder(type.fieldsSchema())) {
            if (fields.has(key)) {
                String label = type.template().labels() != null && type.template().labels().containsKey(key)
                        ? type.template().labels().get(key)
                        : FieldSchema.title(type.fieldsSchema(), key) != null ? FieldSchema.title(type.fieldsSchema(), key) : key;
                rows.add(new Row(label, fields.get(key).isString() ? fields.get(key).asString() : fields.get(key).toString()));
            }
        }
        rows.add(new Row("有效期限", licence.validFrom() + " 至 " + (licence.validUntil() == null ? "长期" : licence.validUntil())));
        rows.add(new Row("证照编号", licence.physicalNumber()));
        rows.add(new Row("颁发机构", licence.issuerName() + "（" + licence.issuerCode() + "）"));
        rows.add(new Row("颁发日期", issueDate(licence).toString()));
        if (licence.approvalItem() != null) {
            rows.add(new Row("关联事项", licence.approvalItem()));
        }
        return new LicenceLayout(type.template().title(), accent, List.copyOf(rows), "证照标识 " + licence.identifier());
    }

    static LocalDate issueDate(Licence licence) {
        return licence.issuedAt().atZone(Licences.CHINA).toLocalDate();
    }
}
