package cn.yinxin.seal;

import cn.yinxin.service.keys.KeyStoreSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The seal registry's settings.
 *
 * @param keystore          where the keys of new seals are made (PKCS#12 file or PKCS#11 token)
 * @param importDir         folders of seals made outside this service (keystores-sample writes one: seal.properties,
 *                          seal.p12, seal.png); each is registered once at start, its key staying in its file
 * @param caUrl             the ca-service that certifies new seal keys and revokes the certificates of revoked seals
 * @param caTimeout         how long a call to the ca-service may take
 * @param keyAlgorithm      the algorithm of new seal keys unless the request names one (EC_P256, RSA_2048, RSA_3072, SM2)
 * @param importUsers       the clients an imported seal lists as its users (every level, certify, cross-page):
 *                          by default the development login's client, the sample approval system and the licence
 *                          service
 * @param expiryCheck       how often active seals past their validity are marked expired
 */
@ConfigurationProperties("yinxin.seals")
public record SealsProperties(KeyStoreSettings keystore, Path importDir, URI caUrl, Duration caTimeout,
                              String keyAlgorithm, List<String> importUsers, Duration expiryCheck) {
}
