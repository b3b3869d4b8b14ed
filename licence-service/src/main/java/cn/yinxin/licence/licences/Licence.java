package cn.yinxin.licence.licences;

import cn.yinxin.licence.types.LicenceType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/**
 * One version of a licence, as stored (its files are read separately; {@code files} says which it has: the PDF, the
 * OFD or both, as its type issued them).
 */
public record Licence(UUID id, String identifier, String typeCode, String issuerCode, String issuerName, String serial,
                      int version, Holder holder, String fields, String physicalNumber, String approvalItem,
                      LocalDate validFrom, LocalDate validUntil, LicenceStatus status, String statusReason,
                      Instant statusChangedAt, int statusIndex, UUID replaces, String qrText, String issuedBy,
                      Instant issuedAt, Set<LicenceType.Format> files) {

    public boolean has(LicenceType.Format file) {
        return files.contains(file);
    }
}
