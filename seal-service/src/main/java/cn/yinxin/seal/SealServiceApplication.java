package cn.yinxin.seal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The seal service: the registry of seals and the stamping API that approval systems call. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SealServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SealServiceApplication.class, args);
    }
}
