package cn.yinxin.service;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import cn.yinxin.service.security.OnBehalfOf;
import cn.yinxin.service.security.PageSignIn;
import cn.yinxin.service.security.SecurityProperties;
import cn.yinxin.service.security.ServiceSecurity;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import cn.yinxin.service.security.ServiceTokens;
import org.springframework.context.annotation.Import;

/** What every Yinxin Spring service shares, switched on by being on the class path. */
@AutoConfiguration
@EnableConfigurationProperties(SecurityProperties.class)
@Import({ProblemHandler.class, ServiceSecurity.class, ServiceTokens.class, PageSignIn.class,
        OnBehalfOf.class})
public class ServiceCommonConfiguration {
}
