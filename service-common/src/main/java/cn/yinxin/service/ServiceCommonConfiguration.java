package cn.yinxin.service;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/** What every Yinxin Spring service shares, switched on by being on the class path. */
@AutoConfiguration
@Import(ProblemHandler.class)
public class ServiceCommonConfiguration {
}
