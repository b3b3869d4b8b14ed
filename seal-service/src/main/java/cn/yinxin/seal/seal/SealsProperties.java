package cn.yinxin.seal.seal;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Where the seals are kept until the seal registry moves into the database (seal-service issue): one folder per
 * seal with seal.properties, seal.p12 and seal.png, as keystores-sample writes them.
 *
 * @param dir              the folder holding one sub-folder per seal
 * @param keystorePassword the password of the seals' PKCS#12 key stores
 */
@ConfigurationProperties("yinxin.seals")
public record SealsProperties(Path dir, String keystorePassword) {
}
