package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.service.audit.AuditLog;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The licence types: checked when defined, audited, read by issuance. */
@Service
public class LicenceTypes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final SealService seals;

    /** The service's clock (LicenceServiceApplication): what decides a date or an expiry. */
    private final Clock clock;

    public LicenceTypes(JdbcClient jdbc, AuditLog audit, SealService seals, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.audit = audit;
        this.seals = seals;
    }

    /** Defines a type; {@code checkSeal} asks the seal service that the seal exists (not at sample installation). */
    @Transactional
    public LicenceType define(LicenceType type, String actor, boolean checkSeal) {
        if (!LicenceIdentifier.isTypeCode(type.code())) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A licence type code is the defining authority's "
                    + "USCC followed by 3 digits (21 characters); got '" + type.code() + "'.");
        }
        if (type.name() == null || type.name().isBlank() || type.name().length() > 100) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A licence type's name has 1 to 100 characters.");
        }
        FieldSchema.compile(type.fieldsSchema());
        SignatureLevel.parse(type.signatureLevel());
        if (type.sealId() == null || type.sealId().isBlank()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Name the seal that signs licences of this type (sealId).");
        }
        if (type.template() == null || type.template().title() == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Give the template's title at least.");
        }
        TypeSeals.check(type, checkSeal ? seals : null);
        if (find(type.code()).isPresent()) {
            throw exists(type.code());
        }
        insert(type, actor);
        audit.record(actor, "licence-type.define", "licence-type:" + type.code(), "name=" + type.name() + " seal="
                + type.sealId() + " formats=" + LicenceType.Format.stored(type.formats())
                + (type.ofdSealId() == null ? "" : " ofd-seal=" + type.ofdSealId()));
        return find(type.code()).orElseThrow();
    }

    /**
     * The row; a definition of the same code committed since {@link #define}'s look-up (two at the same moment) is
     * the primary key's refusal, answered as the look-up would have (409 licence-type-exists; it was a 500).
     */
    private void insert(LicenceType type, String actor) {
        try {
            jdbc.sql("""
                    INSERT INTO licence_type (code, name, fields_schema, template, seal_id, signature_level,
                        validity_years, created_by, created_at, formats, ofd_seal_id)
                    VALUES (:code, :name, :schema, :template, :seal, :level, :years, :by, :at, :formats, :ofdSeal)""")
                    .param("code", type.code()).param("name", type.name()).param("schema", type.fieldsSchema())
                    .param("template", JSON.writeValueAsString(type.template())).param("seal", type.sealId())
                    .param("level", SignatureLevel.parse(type.signatureLevel()).name())
                    .param("years", type.validityYears()).param("by", actor).param("at", Timestamp.from(clock.instant()))
                    .param("formats", LicenceType.Format.stored(type.formats())).param("ofdSeal", type.ofdSealId())
                    .update();
        } catch (DuplicateKeyException e) {
            throw exists(type.code());
        }
    }

    private static RejectedException exists(String code) {
        return new RejectedException(Problem.LICENCE_TYPE_EXISTS, "Licence type " + code + " exists already.");
    }

    public Optional<LicenceType> find(String code) {
        return jdbc.sql("SELECT * FROM licence_type WHERE code = :code").param("code", code)
                .query((rs, n) -> new LicenceType(rs.getString("code"), rs.getString("name"),
                        rs.getString("fields_schema"), JSON.readValue(rs.getString("template"), LicenceType.Template.class),
                        rs.getString("seal_id"), rs.getString("signature_level"),
                        (Integer) rs.getObject("validity_years"), rs.getString("created_by"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        LicenceType.Format.parse(rs.getString("formats")), rs.getString("ofd_seal_id")))
                .optional();
    }

    public LicenceType get(String code) {
        return find(code).orElseThrow(() -> new RejectedException(Problem.UNKNOWN_LICENCE_TYPE,
                "There is no licence type " + code + "."));
    }

    public List<LicenceType> all() {
        return jdbc.sql("SELECT code FROM licence_type ORDER BY code").query(String.class).list().stream()
                .map(this::get).toList();
    }

    static Map<String, Object> view(LicenceType type) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("code", type.code());
        view.put("name", type.name());
        view.put("fieldsSchema", JSON.readTree(type.fieldsSchema()));
        view.put("template", type.template());
        view.put("sealId", type.sealId());
        view.put("signatureLevel", type.signatureLevel());
        view.put("validityYears", type.validityYears() == null ? "none" : type.validityYears());
        view.put("formats", type.formats().stream().sorted().map(Enum::name).toList());
        if (type.ofdSealId() != null) {
            view.put("ofdSealId", type.ofdSealId());
        }
        return view;
    }
}
