package cn.yinxin.seal.stamping;

import java.time.Instant;
import java.util.UUID;

/** What was stamped, with which seal, for whom and when: the hashes let anyone match a document to its record. */
public record StampRecord(UUID id, String sealId, String caller, String documentSha256Before,
                          String documentSha256After, String signatureLevel, int page, double xMm, double yMm,
                          String anchor, Instant stampedAt) {
}
