package cn.yinxin.licence.licences;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** One version of a licence, as stored (the PDF is read separately). */
public record Licence(UUID id, String identifier, String typeCode, String issuerCode, String issuerName, String serial,
                      int version, Holder holder, String fields, String physicalNumber, String approvalItem,
                      LocalDate validFrom, LocalDate validUntil, LicenceStatus status, String statusReason,
                      Instant statusChangedAt, int statusIndex, UUID replaces, String qrText, String issuedBy,
                      Instant issuedAt) {
}
