package cn.yinxin.verifier.http;

import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.testing.ServiceProcess;
import cn.yinxin.verifier.VerifierMain;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fail closed: the verifier, run as its own process (VerifierMain, as the jar runs it) without YINXIN_SECURITY_MODE,
 * or with a value that is no mode, does not start: it exits non-zero and says which setting is missing. It used to
 * start in the development login and treat every anonymous caller as an officer.
 */
@cn.yinxin.testing.Slow("verifier processes")
class FailClosedTest {

    @Test
    void withoutASignInModeTheVerifierExitsNonZeroAndSaysWhy() {
        var refusal = run(Map.of());
        assertThat(refusal.exitCode()).as(refusal.log()).isNotZero();
        assertThat(refusal.log()).contains(SignIn.MODE_MISSING);

        var mistyped = run(Map.of("YINXIN_SECURITY_MODE", "keycloack"));
        assertThat(mistyped.exitCode()).as(mistyped.log()).isNotZero();
        assertThat(mistyped.log()).contains("YINXIN_SECURITY_MODE is 'keycloack', not keycloak or development");
    }

    /**
     * Red team 7: the development login believes X-Dev-Roles (an officer reads holders' names and numbers), and the
     * verifier listened on every interface unless ./yinxin up said otherwise: anyone on the network was an officer.
     * An address beyond this machine now refuses the start; unset is 127.0.0.1 in that mode.
     */
    @Test
    void theDevelopmentLoginRefusesToListenBeyondThisMachine() {
        var refusal = run(Map.of("YINXIN_SECURITY_MODE", "development", "YINXIN_VERIFIER_HOST", "0.0.0.0"));
        assertThat(refusal.exitCode()).as(refusal.log()).isNotZero();
        assertThat(refusal.log()).contains("the development login (X-Dev-* headers believed) listens on this machine "
                + "only, not on 0.0.0.0");
    }

    private static ServiceProcess.Refusal run(Map<String, String> more) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Map<String, String> env = new java.util.HashMap<>(more);
        env.put("YINXIN_TRUST_DIR", SampleKeystores.fresh().resolve("trust").toString());
        env.put("YINXIN_VERIFIER_PORT", "0");
        // the child gets no -Dyinxin.security.mode: this module's tests state theirs as a system property
        return ServiceProcess.refusedStart("verifier-without-mode", List.of(java, "-Xmx192m", "-cp",
                System.getProperty("java.class.path"), VerifierMain.class.getName()), env);
    }
}
