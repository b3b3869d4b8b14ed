package cn.yinxin.licence;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The licence service's settings (application.properties has every default).
 *
 * @param sealServiceUrl     the seal service that seals licence PDFs and signs QR codes and status lists
 * @param sealServiceTimeout how long a call to it may take
 * @param publicUrl          where verifiers reach this service (status list addresses start with it)
 * @param statusListTtl      how long a verifier may keep a status list
 * @param cjkFont            a TrueType font with Chinese glyphs (null: the first Debian one found)
 * @param sampleTypes        whether the two sample licence types are installed at start
 * @param sampleSealId       the seal the sample types' PDFs are signed with
 * @param sampleOfdSealId    the SM2 seal whose GB/T 38540 seal signs the sample types' OFDs (blank: PDF only)
 */
@ConfigurationProperties("yinxin.licence")
public record LicenceProperties(URI sealServiceUrl, Duration sealServiceTimeout, String publicUrl,
                                Duration statusListTtl, Path cjkFont, boolean sampleTypes, String sampleSealId,
                                String sampleOfdSealId) {
}
