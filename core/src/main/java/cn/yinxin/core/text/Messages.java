package cn.yinxin.core.text;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every text a clerk reads, by stable key, in Chinese and English: {@code messages.properties} (English) and
 * {@code messages_zh.properties} (Chinese), UTF-8, next to this class. Translators edit the two files, not Java.
 *
 * <p>Placeholders are {@code {0}}, {@code {1}}, ... and nothing else: no {@link java.text.MessageFormat}, whose quote
 * rules would eat the apostrophes of English texts ("the signer's certificate").
 *
 * <p>Keys:
 * <ul>
 *   <li>{@code verdict.<Verdict>}, {@code indication.<Indication>}, {@code subIndication.<SubIndication>}: the words
 *       a clerk reads for a machine code (the codes stay in the JSON for experts);</li>
 *   <li>{@code problem.<slug>}: the title of a problem type ({@code urn:yinxin:problem:<slug>});</li>
 *   <li>{@code reason.*}, {@code summary.*} and {@code phrase.*}: sentences and parts of sentences the verifier
 *       writes. Their English text is exactly what the checks produce, so an English reason is recognised here
 *       ({@link #recognise}) as its key and arguments, and rendered in Chinese. The checks in core keep writing
 *       English sentences (every test and client that reads them stays as it is); {@code ReasonCatalogueTest}
 *       in the verifier keeps this catalogue and the checks' sentences equal.</li>
 * </ul>
 */
public final class Messages {

    private static final String BUNDLE = "cn.yinxin.core.text.messages";
    private static final Map<Language, ResourceBundle> BUNDLES = new EnumMap<>(Language.class);
    /** The sentence templates, most specific (longest fixed text) first, so "X is valid." loses to a longer match. */
    private static final List<Template> TEMPLATES;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)}");
    /** An argument is localised in turn only when it is short enough to be a sentence of ours (a nested reason). */
    private static final int MAX_DEPTH = 6;
    /** Longer texts are not recognised (shown as written): a reason that long carries mostly a document's own text. */
    private static final int MAX_SENTENCE = 20_000;
    /** How many placings of the fixed pieces one template may try on one text (a bound on backtracking). */
    private static final int MAX_TRIES = 256;
    /** A list of more items than this is shown as written. */
    private static final int MAX_LIST = 256;
    /** How many "; "-separated pieces one sentence of a list may hold (a visible change holds two). */
    private static final int MAX_PIECES = 4;

    static {
        for (Language language : Language.values()) {
            // no fallback to the JVM's default locale: the server's locale must not decide the answer's language
            BUNDLES.put(language, ResourceBundle.getBundle(BUNDLE, language.bundleLocale(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
        }
        List<Template> templates = new ArrayList<>();
        ResourceBundle english = BUNDLES.get(Language.EN);
        for (String key : new TreeSet<>(english.keySet())) {
            if (key.startsWith("reason.") || key.startsWith("summary.") || key.startsWith("phrase.")) {
                templates.add(Template.of(key, english.getString(key)));
            }
        }
        templates.sort(Comparator.comparingInt(Template::fixedLength).reversed().thenComparing(Template::key));
        TEMPLATES = List.copyOf(templates);
    }

    private Messages() {
    }

    /** A recognised sentence: its key and its arguments (as written in English). */
    public record Keyed(String key, List<String> args) {
    }

    /** The text of {@code key} in {@code language} with its placeholders filled; null when there is no such key. */
    public static String text(String key, Language language, Object... args) {
        String template = raw(key, language);
        return template == null ? null : fill(template, args);
    }

    /** The text of {@code key}, or {@code fallback} when the catalogue has no such key. */
    public static String textOr(String key, Language language, String fallback) {
        String text = text(key, language);
        return text == null ? fallback : text;
    }

    /** Every key the catalogue has in {@code language}. */
    public static Set<String> keys(Language language) {
        return BUNDLES.get(language).keySet();
    }

    /** The template of {@code key} in {@code language} as written in its own file (no fallback to English). */
    public static String own(String key, Language language) {
        String file = "messages" + (language == Language.EN ? "" : "_" + language.bundleLocale().getLanguage())
                + ".properties";
        try (var in = Messages.class.getResourceAsStream(file)) {
            var own = new PropertyResourceBundle(new InputStreamReader(in,
                    StandardCharsets.UTF_8));
            return own.handleGetObject(key) instanceof String text ? text : null;
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("The message catalogue " + file + " cannot be read", e);
        }
    }

    /** Which catalogued sentence {@code english} is, with its arguments; null when it is none of them. */
    public static Keyed recognise(String english) {
        if (english == null) {
            return null;
        }
        if (english.length() > MAX_SENTENCE) {
            return null; // no reason of ours is this long; and the matching stays cheap on hostile text
        }
        for (Template template : TEMPLATES) {
            List<String> args = template.match(english);
            if (args != null) {
                return new Keyed(template.key(), args);
            }
        }
        return null;
    }

    /**
     * An English sentence of the verifier in {@code language}: recognised and rendered from the catalogue, with its
     * arguments rendered too when they are sentences of ours (a national seal's reason inside a signature's);
     * anything not catalogued (an exception's message, a name) stays as written.
     */
    public static String localise(String english, Language language) {
        return localise(english, language, 0);
    }

    private static String localise(String english, Language language, int depth) {
        if (english == null || language == Language.EN || depth > MAX_DEPTH) {
            return english;
        }
        if (depth > 0 && english.contains("; ")) {
            List<String> parts = sentences(english);
            if (parts != null && parts.size() > 1) {
                return String.join("；", parts.stream().map(part -> localise(part, language, depth + 1)).toList());
            }
        }
        Keyed keyed = recognise(english);
        if (keyed == null) {
            return english;
        }
        Object[] args = new Object[keyed.args().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = localise(keyed.args().get(i), language, depth + 1);
        }
        return text(keyed.key(), language, args);
    }

    /**
     * A list the checks joined with "; " (the forbidden changes, the revocation failures) cut into sentences of ours,
     * or null when it cannot be. An item may hold "; " itself (a visible change's "(x, y, width, height in points;
     * 8.96% of the page differs)"), so the pieces between separators are grouped, each group a catalogued
     * sentence; cutting at every separator, or reading the whole as one sentence whose last argument swallows the
     * rest, would each render it wrongly.
     */
    private static List<String> sentences(String list) {
        String[] pieces = list.split("; ", -1);
        int n = pieces.length;
        if (n > MAX_LIST) {
            return null;
        }
        int[] start = new int[n + 1];
        Arrays.fill(start, -1);
        start[0] = 0;
        for (int end = 1; end <= n; end++) {
            for (int from = end - 1; from >= Math.max(0, end - MAX_PIECES) && start[end] < 0; from--) {
                if (start[from] >= 0 && recognise(String.join("; ", Arrays.asList(pieces).subList(from, end))) != null) {
                    start[end] = from;
                }
            }
        }
        if (start[n] < 0) {
            return null;
        }
        List<String> sentences = new ArrayList<>();
        for (int end = n; end > 0; end = start[end]) {
            sentences.addFirst(String.join("; ", Arrays.asList(pieces).subList(start[end], end)));
        }
        return sentences;
    }

    private static String raw(String key, Language language) {
        try {
            return BUNDLES.get(language).getString(key);
        } catch (MissingResourceException missing) {
            return null;
        }
    }

    static String fill(String template, Object... args) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(index < args.length ? String.valueOf(args[index])
                    : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * An English sentence as its fixed pieces, a placeholder between each two. Matched without regular expressions:
     * a text comes from documents anyone can make (field names, certificate names), and a backtracking pattern with
     * several open groups could be made to take exponential time; here each piece is looked for with indexOf,
     * earliest first, and at most {@link #MAX_TRIES} placings are tried.
     */
    private record Template(String key, List<String> pieces, int fixedLength, String longestFixed) {

        static Template of(String key, String english) {
            List<String> pieces = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(english);
            int last = 0;
            while (m.find()) {
                pieces.add(english.substring(last, m.start()));
                last = m.end();
            }
            pieces.add(english.substring(last));
            int fixed = 0;
            String longest = "";
            for (String piece : pieces) {
                fixed += piece.length();
                longest = piece.length() > longest.length() ? piece : longest;
            }
            return new Template(key, List.copyOf(pieces), fixed, longest);
        }

        /** The arguments when {@code text} is this sentence, else null. */
        List<String> match(String text) {
            String first = pieces.getFirst();
            String end = pieces.getLast();
            if (!text.contains(longestFixed) || !text.startsWith(first)) {
                return null;
            }
            if (pieces.size() == 1) {
                return text.equals(first) ? List.of() : null;
            }
            if (!text.endsWith(end) || text.length() < first.length() + end.length()) {
                return null;
            }
            List<String> args = new ArrayList<>();
            int[] tries = {MAX_TRIES};
            return place(text, 1, first.length(), text.length() - end.length(), args, tries) ? List.copyOf(args) : null;
        }

        /** Places pieces from {@code index} on, the text before each being an argument; the last ends at {@code stop}. */
        private boolean place(String text, int index, int from, int stop, List<String> args, int[] tries) {
            if (index == pieces.size() - 1) {
                if (from > stop) {
                    return false;
                }
                args.add(text.substring(from, stop));
                return true;
            }
            String piece = pieces.get(index);
            for (int at = text.indexOf(piece, from); at >= 0 && at + piece.length() <= stop; at = text.indexOf(piece, at + 1)) {
                if (--tries[0] < 0) {
                    return false;
                }
                args.add(text.substring(from, at));
                if (place(text, index + 1, at + piece.length(), stop, args, tries)) {
                    return true;
                }
                args.removeLast();
            }
            return false;
        }
    }
}
