package cn.yinxin.core.text;

import java.util.Locale;

/**
 * The languages Yinxin answers in. Chinese first: the clerks, officers and citizens who read the answers are
 * Chinese-speaking, so Chinese is the answer unless the caller asks for English (Accept-Language).
 */
public enum Language {
    ZH("zh-CN", Locale.CHINESE),
    EN("en", Locale.ROOT);

    private final String tag;
    private final Locale bundleLocale;

    Language(String tag, Locale bundleLocale) {
        this.tag = tag;
        this.bundleLocale = bundleLocale;
    }

    /** The BCP 47 tag to answer with in Content-Language. */
    public String tag() {
        return tag;
    }

    Locale bundleLocale() {
        return bundleLocale;
    }

    /**
     * The language an Accept-Language header asks for: the first of zh or en in the caller's order of preference;
     * Chinese when the header is absent, malformed, or names neither (a wildcard, or only other languages).
     */
    public static Language of(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return ZH;
        }
        try {
            // parse() sorts by weight, highest first; a weight of 0 means "not this one"
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                if (range.getWeight() <= 0) {
                    continue;
                }
                String r = range.getRange();
                if (r.equals("zh") || r.startsWith("zh-")) {
                    return ZH;
                }
                if (r.equals("en") || r.startsWith("en-")) {
                    return EN;
                }
            }
        } catch (IllegalArgumentException malformed) {
            return ZH;
        }
        return ZH;
    }
}
