package cn.yinxin.ca;

import cn.yinxin.service.keys.KeyStoreSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The CA's settings; every value has a default in application.properties.
 *
 * @param publicUrl   where relying parties reach this service; written into certificates (CRLs)
 * @param ocspUrl     the OCSP address written into certificates (by default the fast listener)
 * @param ocspPort    the port of the fast OCSP listener (0: none; /ocsp on the main port answers too)
 * @param keystore    the key store of the CA hierarchy
 * @param sealKeys    the key store where enrolment makes seal keys when asked to
 * @param importDir   certificates issued while this service did not run (keystores-sample), registered at start
 * @param crlValidity from thisUpdate to nextUpdate of a CRL; a CRL is remade when a quarter of it is left
 * @param ocspValidity from thisUpdate to nextUpdate of an OCSP response; pre-signed responses are remade at half
 * @param tsaPolicy   the TSA policy OID
 * @param maxSealValidity     the longest validity of an agency seal certificate
 * @param maxPersonalValidity the longest validity of a personal certificate
 */
@ConfigurationProperties("yinxin.ca")
public record CaProperties(String publicUrl, String ocspUrl, int ocspPort, KeyStoreSettings keystore, KeyStoreSettings sealKeys, Path importDir,
                           Duration crlValidity, Duration ocspValidity, String tsaPolicy, Duration maxSealValidity,
                           Duration maxPersonalValidity) {

}
