package cn.yinxin.licence;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The licence service. In this first slice it only runs and reports its health, so that ./yinxin up starts the
 * whole product; licence types, issuance, status lists and presentations are the licence issue.
 */
@SpringBootApplication
public class LicenceServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(LicenceServiceApplication.class, args);
    }
}
