package cn.yinxin.ca.hierarchy;

import cn.yinxin.service.ServiceCommonConfiguration;
import cn.yinxin.service.keys.KeyStores;
import cn.yinxin.ca.CaProperties;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.KeyVault;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;

/**
 * {@code java -jar ca-service.jar ceremony [--yinxin.ca.ceremony.algorithm=EC_P256|RSA_2048|RSA_3072|SM2]
 * [--yinxin.ca.ceremony.root-algorithm=...] [--yinxin.ca.ceremony.issuing-algorithm=...]}: makes the CA hierarchy
 * in the configured key store (PKCS#12 or PKCS#11) and writes every step to the audit log. The root and the CAs
 * below it may use different algorithms. Refuses a key store that already holds any of the hierarchy's keys.
 */
public final class KeyCeremonyCommand {

    // an offline command: no web, no callers, no calls to other services, so none of the services' sign-in (which
    // would ask for a sign-in mode this machine need not have). NOT a @Configuration: the service's component scan
    // would then pick it up, and its exclusion would switch the sign-in off in the running CA service as well
    @EnableAutoConfiguration(exclude = ServiceCommonConfiguration.class)
    @EnableConfigurationProperties(CaProperties.class)
    @Import(AuditLog.class)
    static class Context {
    }

    private KeyCeremonyCommand() {
    }

    public static int run(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Context.class)
                .web(WebApplicationType.NONE).profiles("ceremony").run(args)) {
            CaProperties properties = context.getBean(CaProperties.class);
            Environment env = context.getEnvironment();
            String both = env.getProperty("yinxin.ca.ceremony.algorithm", "EC_P256");
            KeyAlgorithm rootAlgorithm = KeyAlgorithm.valueOf(env.getProperty("yinxin.ca.ceremony.root-algorithm", both));
            KeyAlgorithm issuingAlgorithm = KeyAlgorithm.valueOf(
                    env.getProperty("yinxin.ca.ceremony.issuing-algorithm", both));
            String actor = "ceremony by " + System.getProperty("user.name");
            KeyVault vault = KeyStores.open(properties.keystore());
            AuditLog audit = context.getBean(AuditLog.class);
            var plan = new KeyCeremony.Plan(rootAlgorithm, issuingAlgorithm, properties.publicUrl(), properties.ocspUrl(), Duration.ofDays(3650),
                    Duration.ofDays(1825), Duration.ofDays(730));
            new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
                    .executeWithoutResult(status -> {
                        try {
                            KeyCeremony.run(vault, plan, step -> {
                                boolean made = step.madeKey();
                                audit.record(actor, "key ceremony: " + step.action(), step.alias(), made
                                        ? step.subject() + " serial " + step.serial() + " " + step.algorithm()
                                        : "no key " + step.algorithm());
                                System.out.println("  " + step.action() + ": " + step.alias() + " (" + step.algorithm()
                                        + (made ? ", serial " + step.serial() : ", no key") + ")");
                            });
                        } catch (Exception e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    });
            System.out.println("Key ceremony done: " + vault.kind() + " key store holds the hierarchy.");
            return 0;
        } catch (Exception e) {
            System.err.println("Key ceremony failed: " + e.getMessage());
            return 1;
        }
    }
}
