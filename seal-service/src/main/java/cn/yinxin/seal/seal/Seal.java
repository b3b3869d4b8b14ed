package cn.yinxin.seal.seal;

import cn.yinxin.core.pdf.SealAppearance;
import cn.yinxin.core.pki.SealKey;

/** A seal an agency may stamp with: who it belongs to, what it looks like, and the key that signs for it. */
public record Seal(String id, String name, String agency, String agencyCode, String kind,
                   SealAppearance appearance, SealKey key) {
}
