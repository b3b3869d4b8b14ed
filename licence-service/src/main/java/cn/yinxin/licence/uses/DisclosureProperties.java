package cn.yinxin.licence.uses;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Limits on officers' look-ups of holders' personal data ({@code yinxin.licence.disclosure.*}).
 *
 * @param perOfficer how many look-ups one officer may make within {@code window}; more get 429 disclosure-limit.
 *                   An officer at a roadside check makes a few an hour: the default leaves room for a busy shift and
 *                   stops a script walking through identifiers (they are a year and a counter)
 * @param window     the sliding window the limit counts in
 */
@ConfigurationProperties("yinxin.licence.disclosure")
public record DisclosureProperties(@DefaultValue("60") int perOfficer, @DefaultValue("PT1H") Duration window) {

    public DisclosureProperties {
        if (perOfficer < 0 || window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("yinxin.licence.disclosure.per-officer is 0 or more (0: no look-ups) "
                    + "and yinxin.licence.disclosure.window a positive duration");
        }
    }
}
