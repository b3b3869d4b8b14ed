package cn.yinxin.seal.signatures;

import java.time.Instant;
import java.util.UUID;

/** One document signed with a personal signature (its hashes, never the document itself). */
public record SignatureUse(UUID id, UUID signatureId, String captureId, String documentSha256Before,
                           String documentSha256After, String signatureLevel, int page, double xMm, double yMm,
                           Instant signedAt) {
}
