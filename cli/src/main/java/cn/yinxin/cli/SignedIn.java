package cn.yinxin.cli;

import java.net.http.HttpRequest;

/**
 * The command line's sign-in against services that run with Keycloak: an access token in the environment
 * ({@code YINXIN_TOKEN}, e.g. from Keycloak's token endpoint with an approval system's client credentials), sent
 * as a Bearer token. Without it the command works against services on the development login only.
 */
final class SignedIn {

    private SignedIn() {
    }

    static HttpRequest.Builder with(HttpRequest.Builder request) {
        String token = System.getenv("YINXIN_TOKEN");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        return request;
    }
}
