package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.LicenceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The two sample licence types, installed once at start when {@code yinxin.licence.sample-types} is on: a business
 * licence (营业执照, an organisation holds it) and a driving permit (驾驶许可, a person holds it), both defined by the
 * sample agency, issued as PDF (sealed with the sample seal) and as OFD (sealed with the sample SM2 licence seal's
 * GB/T 38540 seal) unless {@code yinxin.licence.sample-ofd-seal-id} is blank.
 */
@Component
public class SampleTypes implements SmartInitializingSingleton {

    /** The sample agency's USCC (keystores-sample) plus 001 and 002. */
    public static final String BUSINESS_LICENCE = "11410000MB00001749001";
    public static final String DRIVING_PERMIT = "11410000MB00001749002";

    private static final Logger log = LoggerFactory.getLogger(SampleTypes.class);

    private final LicenceTypes types;
    private final LicenceProperties properties;

    /** The service's clock (LicenceServiceApplication): what decides a date or an expiry. */
    private final Clock clock;

    public SampleTypes(LicenceTypes types, LicenceProperties properties, Clock clock) {
        this.clock = clock;
        this.types = types;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!properties.sampleTypes()) {
            return;
        }
        if (types.find(BUSINESS_LICENCE).isEmpty()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("companyType", "类型");
            labels.put("legalRepresentative", "法定代表人");
            labels.put("registeredCapital", "注册资本");
            labels.put("establishedOn", "成立日期");
            labels.put("address", "住所");
            labels.put("businessScope", "经营范围");
            install(new LicenceType(BUSINESS_LICENCE, "营业执照", """
                    {"type": "object", "additionalProperties": false,
                     "required": ["companyType", "legalRepresentative", "registeredCapital", "establishedOn", "address", "businessScope"],
                     "properties": {
                       "companyType": {"type": "string", "maxLength": 60},
                       "legalRepresentative": {"type": "string", "minLength": 2, "maxLength": 30},
                       "registeredCapital": {"type": "string", "pattern": "^[0-9]+(\\\\.[0-9]+)?万元人民币$"},
                       "establishedOn": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                       "address": {"type": "string", "maxLength": 120},
                       "businessScope": {"type": "string", "maxLength": 500}}}""",
                    new LicenceType.Template("营业执照", "#b22222", labels), properties.sampleSealId(), "B_T", null,
                    "system", clock.instant(), formats(), ofdSeal()), "system", false);
            log.info("Sample licence type {} (营业执照) is installed", BUSINESS_LICENCE);
        }
        if (types.find(DRIVING_PERMIT).isEmpty()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("vehicleClass", "准驾车型");
            labels.put("sex", "性别");
            labels.put("birthDate", "出生日期");
            labels.put("address", "住址");
            labels.put("firstIssued", "初次领证日期");
            install(new LicenceType(DRIVING_PERMIT, "驾驶许可", """
                    {"type": "object", "additionalProperties": false,
                     "required": ["vehicleClass", "sex", "birthDate", "firstIssued"],
                     "properties": {
                       "vehicleClass": {"type": "string", "enum": ["A1", "A2", "A3", "B1", "B2", "C1", "C2", "D", "E", "F"]},
                       "sex": {"type": "string", "enum": ["男", "女"]},
                       "birthDate": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                       "address": {"type": "string", "maxLength": 120},
                       "firstIssued": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}}""",
                    new LicenceType.Template("驾驶许可", "#1f4e9c", labels), properties.sampleSealId(), "B_T", 6,
                    "system", clock.instant(), formats(), ofdSeal()), "system", false);
            log.info("Sample licence type {} (驾驶许可) is installed", DRIVING_PERMIT);
        }
    }

    /** Both files when an SM2 licence seal is configured (keystores-sample makes one), else the PDF only. */
    private Set<LicenceType.Format> formats() {
        return ofdSeal() == null ? Set.of(LicenceType.Format.PDF)
                : Set.of(LicenceType.Format.PDF, LicenceType.Format.OFD);
    }

    private String ofdSeal() {
        String id = properties.sampleOfdSealId();
        return id == null || id.isBlank() ? null : id.strip();
    }

    /**
     * Instances started together on one database may both find a type missing: the type's primary key lets one
     * define it, and the other's definition (with its audit entry) is rolled back.
     */
    private void install(LicenceType type, String actor, boolean checkSeal) {
        try {
            types.define(type, actor, checkSeal);
        } catch (DuplicateKeyException e) {
            log.info("Sample licence type {} was installed by another instance", type.code());
        } catch (RejectedException e) {
            if (e.problem() != Problem.LICENCE_TYPE_EXISTS) {
                throw e;
            }
            log.info("Sample licence type {} was installed by another instance", type.code());
        }
    }
}
