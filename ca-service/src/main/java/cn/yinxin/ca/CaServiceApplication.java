package cn.yinxin.ca;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The certificate authority. In this first slice it publishes the development CA certificates; enrolment,
 * revocation, CRL, OCSP, the TSA and the trust list of other CAs are the CA issue.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CaServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CaServiceApplication.class, args);
    }
}
