package cn.yinxin.verifier.config;

import cn.yinxin.core.trust.TrustListRules;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the verifier accepts from the signed lists it fetches: who may sign the trust list and how long a list
 * counts; how fresh a licence status list must be and where one may be fetched from at all.
 *
 * @param trustListSigners      SHA-256 (hex) of the trust-list signer certificates this verifier accepts
 *                              (YINXIN_TRUST_LIST_SIGNER_SHA256, comma-separated; none: any certificate under a trusted
 *                              root that carries the trust-list key purpose)
 * @param trustListRules        nextUpdate grace (YINXIN_TRUST_LIST_GRACE_SECONDS, 86400) and the largest step of the
 *                              sequence (YINXIN_TRUST_LIST_MAX_SEQUENCE_JUMP, 1000)
 * @param statusListMaxAge      online: a kept status list older than this (since it was fetched or confirmed) is asked
 *                              for again, with If-None-Match, before it answers (YINXIN_VERIFIER_STATUS_LIST_MAX_AGE_SECONDS, 4)
 * @param statusListMaxTtl      the most a list's own time-to-live claim may ask for
 *                              (YINXIN_VERIFIER_STATUS_LIST_MAX_TTL_SECONDS, 3600)
 * @param statusListAddresses   the only status-list addresses a code may name: URI prefixes (scheme, host, port and
 *                              the start of the path) (YINXIN_VERIFIER_STATUS_LIST_URLS, comma-separated; none:
 *                              {@code <YINXIN_LICENCES_URL>/api/v1/status-lists/}); anything else is not fetched
 * @param statusListSizes       how large a status list may be, signed and inflated
 */
public record ListSettings(Set<String> trustListSigners, TrustListRules trustListRules, Duration statusListMaxAge,
                    Duration statusListMaxTtl, List<String> statusListAddresses, StatusListSizes statusListSizes) {

    /**
     * How large a status list may be: its signed token as fetched (YINXIN_VERIFIER_STATUS_LIST_MAX_BYTES, 4 MiB) and
     * its bitstring once inflated (YINXIN_VERIFIER_STATUS_LIST_MAX_INFLATED_BYTES, 16 MiB: 64 million licences at 2
     * bits). A list of 10 million licences is 2.5 MB inflated and, with revocations spread thinly, a few hundred
     * kilobytes signed (docs/benchmarks.md); a list that inflates further is refused as soon as it passes the limit.
     */
    public record StatusListSizes(int maxTokenBytes, int maxInflatedBytes) {

        public static final StatusListSizes DEFAULTS = new StatusListSizes(4 << 20, 16 << 20);

        public StatusListSizes {
            if (maxTokenBytes < 1024 || maxInflatedBytes < 1024) {
                throw new IllegalArgumentException("status list size limits are at least 1024 bytes");
            }
        }
    }

    /** 4 s, not 5: asking again and the licence service signing a new list take a moment of the 5 s promised. */
    static final Duration DEFAULT_STATUS_LIST_MAX_AGE = Duration.ofSeconds(4);
    static final Duration DEFAULT_STATUS_LIST_MAX_TTL = Duration.ofHours(1);
    public static final ListSettings DEFAULTS = new ListSettings(Set.of(), TrustListRules.DEFAULTS,
            DEFAULT_STATUS_LIST_MAX_AGE, DEFAULT_STATUS_LIST_MAX_TTL, List.of(), StatusListSizes.DEFAULTS);

    public ListSettings {
        trustListSigners = trustListSigners.stream().map(ListSettings::fingerprint).collect(Collectors.toUnmodifiableSet());
        statusListAddresses = List.copyOf(statusListAddresses);
        for (String address : statusListAddresses) {
            prefix(address); // fails at start, not at the first code
        }
        if (statusListMaxAge.isNegative() || statusListMaxTtl.isNegative()) {
            throw new IllegalArgumentException("status list ages are not negative");
        }
    }

    static ListSettings from(Map<String, String> env) {
        return new ListSettings(Set.copyOf(split(VerifierConfig.value(env, "YINXIN_TRUST_LIST_SIGNER_SHA256", ""))),
                new TrustListRules(Duration.ofSeconds(Long.parseLong(VerifierConfig.value(env,
                        "YINXIN_TRUST_LIST_GRACE_SECONDS", String.valueOf(TrustListRules.DEFAULT_GRACE.toSeconds())))),
                        Long.parseLong(VerifierConfig.value(env, "YINXIN_TRUST_LIST_MAX_SEQUENCE_JUMP",
                                String.valueOf(TrustListRules.DEFAULT_MAX_SEQUENCE_JUMP))),
                        TrustListRules.DEFAULTS.allowedSkew()),
                Duration.ofSeconds(Long.parseLong(VerifierConfig.value(env, "YINXIN_VERIFIER_STATUS_LIST_MAX_AGE_SECONDS",
                        String.valueOf(DEFAULT_STATUS_LIST_MAX_AGE.toSeconds())))),
                Duration.ofSeconds(Long.parseLong(VerifierConfig.value(env, "YINXIN_VERIFIER_STATUS_LIST_MAX_TTL_SECONDS",
                        String.valueOf(DEFAULT_STATUS_LIST_MAX_TTL.toSeconds())))),
                split(VerifierConfig.value(env, "YINXIN_VERIFIER_STATUS_LIST_URLS", "")),
                new StatusListSizes(Integer.parseInt(VerifierConfig.value(env, "YINXIN_VERIFIER_STATUS_LIST_MAX_BYTES",
                        String.valueOf(StatusListSizes.DEFAULTS.maxTokenBytes()))),
                        Integer.parseInt(VerifierConfig.value(env, "YINXIN_VERIFIER_STATUS_LIST_MAX_INFLATED_BYTES",
                                String.valueOf(StatusListSizes.DEFAULTS.maxInflatedBytes())))));
    }

    public ListSettings withStatusListAddresses(String... addresses) {
        return new ListSettings(trustListSigners, trustListRules, statusListMaxAge, statusListMaxTtl, List.of(addresses),
                statusListSizes);
    }

    public ListSettings withStatusListAges(Duration maxAge, Duration maxTtl) {
        return new ListSettings(trustListSigners, trustListRules, maxAge, maxTtl, statusListAddresses, statusListSizes);
    }

    public ListSettings withTrustList(Set<String> signers, TrustListRules rules) {
        return new ListSettings(signers, rules, statusListMaxAge, statusListMaxTtl, statusListAddresses,
                statusListSizes);
    }

    public ListSettings withStatusListSizes(StatusListSizes sizes) {
        return new ListSettings(trustListSigners, trustListRules, statusListMaxAge, statusListMaxTtl,
                statusListAddresses, sizes);
    }

    /** The status-list addresses allowed: the configured ones, else the licence service's lists (none without it). */
    List<String> statusListAddresses(String licencesUrl) {
        if (!statusListAddresses.isEmpty()) {
            return statusListAddresses;
        }
        return licencesUrl == null || licencesUrl.isBlank() ? List.of()
                : List.of(licencesUrl.replaceAll("/+$", "") + "/api/v1/status-lists/");
    }

    /**
     * Whether {@code uri} lies under one of {@code allowed}: the same scheme, host and port, and a path that starts
     * with the prefix's path at a segment boundary. Compared as parsed URIs, not as text, so
     * {@code http://licences.example.evil/} or {@code http://licences.example@evil/} do not pass for
     * {@code http://licences.example/}; user info, a fragment and dot segments are refused outright.
     */
    public static boolean allowed(String uri, List<String> allowed) {
        URI address;
        try {
            address = new URI(uri);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!address.isAbsolute() || address.getRawUserInfo() != null || address.getRawFragment() != null
                || address.getHost() == null || address.getRawPath() == null
                || !address.normalize().getRawPath().equals(address.getRawPath())
                || !plainPath(address.getRawPath())) {
            return false;
        }
        for (String entry : allowed) {
            URI prefix = prefix(entry);
            if (prefix.getScheme().equalsIgnoreCase(address.getScheme())
                    && prefix.getHost().equalsIgnoreCase(address.getHost())
                    && port(prefix) == port(address) && underPath(address.getRawPath(), prefix.getRawPath())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A path every server reads the same way: no "." or ".." segment (also not as "..;param", which Tomcat strips
     * and then resolves), no path parameters, no encoded dot, slash or backslash (a proxy may decode them).
     */
    private static boolean plainPath(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains(";") || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
                || lower.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean underPath(String path, String prefix) {
        if (prefix.isEmpty() || prefix.equals("/")) {
            return true;
        }
        return prefix.endsWith("/") ? path.startsWith(prefix) : path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static URI prefix(String entry) {
        URI prefix = URI.create(entry.strip());
        String scheme = prefix.getScheme() == null ? "" : prefix.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || prefix.getHost() == null) {
            throw new IllegalArgumentException("a status-list address is an http(s) URI with a host: " + entry);
        }
        return prefix;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String fingerprint(String value) {
        return value.replace(":", "").strip().toLowerCase(Locale.ROOT);
    }
}
