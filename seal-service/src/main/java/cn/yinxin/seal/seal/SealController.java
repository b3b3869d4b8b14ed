package cn.yinxin.seal.seal;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Lists the seals, so an approval system can see which ids it may name. */
@RestController
public class SealController {

    public record SealView(String id, String name, String agency, String agencyCode, String kind,
                           double widthMm, double heightMm, String certificateSubject, String validUntil) {
    }

    private final SealRegistry registry;

    public SealController(SealRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/api/v1/seals")
    public List<SealView> seals() {
        return registry.all().stream().map(s -> new SealView(s.id(), s.name(), s.agency(), s.agencyCode(), s.kind(),
                s.appearance().widthMm(), s.appearance().heightMm(),
                s.key().certificate().getSubjectX500Principal().getName(),
                s.key().certificate().getNotAfter().toInstant().toString())).toList();
    }
}
