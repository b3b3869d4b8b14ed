package cn.yinxin.licence.imports;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.licence.licences.Holder;
import cn.yinxin.licence.licences.Licences;
import cn.yinxin.licence.types.LicenceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * One import row as an issuance request. A CSV row's columns are named by the header: holderKind, holderName,
 * holderNumber, physicalNumber, validFrom, validUntil, approvalItem, and the type's field keys (an empty value is
 * an absent field; a value is converted to the field's schema type). A JSON Lines row is the body of
 * POST /api/v1/licences. Anything wrong is a refusal naming what.
 */
final class ImportRows {

    static final Set<String> FIXED = Set.of("holderKind", "holderName", "holderNumber", "physicalNumber", "validFrom",
            "validUntil", "approvalItem", "type");
    static final List<String> REQUIRED = List.of("holderName", "holderNumber", "physicalNumber");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImportRows() {
    }

    static Licences.IssueRequest fromCsv(LicenceType type, List<String> header, String raw) {
        List<String> values = Csv.values(raw);
        if (values.size() != header.size()) {
            throw refused("the row has " + values.size() + " values; the header names " + header.size() + " columns");
        }
        JsonNode properties = JSON.readTree(type.fieldsSchema()).path("properties");
        ObjectNode fields = JSON.createObjectNode();
        String kind = null, name = null, number = null, physical = null, from = null, until = null, approval = null;
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            String value = values.get(i).strip();
            if (value.isEmpty()) {
                if (REQUIRED.contains(column)) {
                    throw refused("missing " + column);
                }
                continue;
            }
            switch (column) {
                case "holderKind" -> kind = value;
                case "holderName" -> name = value;
                case "holderNumber" -> number = value;
                case "physicalNumber" -> physical = value;
                case "validFrom" -> from = value;
                case "validUntil" -> until = value;
                case "approvalItem" -> approval = value;
                case "type" -> {
                    if (!value.equals(type.code())) {
                        throw refused("the row's type " + value + " is not the job's type " + type.code());
                    }
                }
                default -> fields.set(column, typed(properties.path(column).path("type").asString("string"), column, value));
            }
        }
        return request(type, kind, name, number, fields, from, until, physical, approval);
    }

    static Licences.IssueRequest fromJson(LicenceType type, String raw) {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (RuntimeException e) {
            throw refused("the line is not JSON");
        }
        if (!body.isObject()) {
            throw refused("the line is not a JSON object");
        }
        if (body.hasNonNull("type") && !body.get("type").asString("").equals(type.code())) {
            throw refused("the row's type " + body.get("type").asString("") + " is not the job's type " + type.code());
        }
        JsonNode holder = body.path("holder");
        JsonNode fields = body.get("fields") == null ? JSON.createObjectNode() : body.get("fields");
        return request(type, holder.path("kind").asString(null), holder.path("name").asString(null),
                holder.path("number").asString(null), fields, body.path("validFrom").asString(null),
                body.path("validUntil").asString(null), body.path("physicalNumber").asString(null),
                body.path("approvalItem").asString(null));
    }

    private static Licences.IssueRequest request(LicenceType type, String kind, String name, String number, JsonNode fields,
                                                 String from, String until, String physical, String approval) {
        if (name == null || name.isBlank()) {
            throw refused("missing holderName");
        }
        if (number == null || number.isBlank()) {
            throw refused("missing holderNumber");
        }
        if (physical == null || physical.isBlank()) {
            throw refused("missing physicalNumber");
        }
        Holder.Kind holderKind;
        if (kind == null) {
            // without a holderKind column: an 18-character number that is a valid resident ID is a person
            holderKind = ResidentId.isValid(number.strip().toUpperCase()) ? Holder.Kind.PERSON
                    : Holder.Kind.ORGANISATION;
        } else {
            try {
                holderKind = Holder.Kind.valueOf(kind.strip().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new RejectedException(Problem.INVALID_HOLDER, "holderKind is PERSON or ORGANISATION, not '" + kind + "'");
            }
        }
        return new Licences.IssueRequest(type.code(), new Holder(holderKind, name, number), fields, date("validFrom", from),
                date("validUntil", until), physical.strip(), approval);
    }

    private static JsonNode typed(String schemaType, String column, String value) {
        try {
            return switch (schemaType) {
                case "integer" -> JSON.getNodeFactory().numberNode(Long.parseLong(value));
                case "number" -> JSON.getNodeFactory().numberNode(new BigDecimal(value));
                case "boolean" -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new NumberFormatException();
                    }
                    yield JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
                }
                default -> JSON.getNodeFactory().stringNode(value);
            };
        } catch (NumberFormatException e) {
            throw new RejectedException(Problem.INVALID_LICENCE_FIELDS, column + " is a " + schemaType + ", not '" + value + "'");
        }
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw refused(name + " is an ISO date (yyyy-mm-dd), not '" + value + "'");
        }
    }

    private static RejectedException refused(String what) {
        return new RejectedException(Problem.INVALID_REQUEST, what);
    }
}
