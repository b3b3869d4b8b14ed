package cn.yinxin.service.security;

import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

import java.net.InetAddress;

/**
 * Where a service in the development login listens: on this machine only. That login lets every caller hold every
 * role, so a service started with it and Spring's default address (every interface) handed seals, licences and the
 * CA to anyone on the network; {@code ./yinxin up} passed 127.0.0.1, a service started any other way did not. Now an
 * unset {@code server.address} is the loopback address in that mode, and any other address stops the start (fail
 * closed: a forgotten setting or a copied command line does not open the service). Runs after Spring's own
 * customizer, which applies {@code server.address}.
 */
final class DevelopmentListener implements WebServerFactoryCustomizer<AbstractConfigurableWebServerFactory>, Ordered {

    @Override
    public void customize(AbstractConfigurableWebServerFactory factory) {
        InetAddress address = factory.getAddress();
        if (address == null) {
            factory.setAddress(InetAddress.getLoopbackAddress());
        } else if (!address.isLoopbackAddress()) {
            throw new IllegalStateException("Refusing to start: the development login (every call may do everything) "
                    + "listens on this machine only, not on " + address.getHostAddress() + " (server.address). Leave "
                    + "server.address unset or 127.0.0.1, or sign in through Keycloak (yinxin.security.mode=keycloak).");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
