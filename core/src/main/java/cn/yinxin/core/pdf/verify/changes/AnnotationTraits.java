package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What makes an annotation added or changed after signing more than what the pictures see it draw: actions a reader
 * runs (/AA on any event; /A other than going to a page or opening a web address), optional content (layers) in
 * the annotation or its appearance, whose state PDFBox, which draws the pictures, takes from the layer's own usage
 * (/Usage /View /ViewState) while poppler, pdf.js and Acrobat take it from the document's configuration (an
 * unlisted layer is shown), and transfer functions (/TR, /TR2 in a graphics state), which PDFBox does not apply to
 * what is painted while poppler and pdf.js do (white on white to PDFBox, black to poppler). Each is a change the
 * pictures cannot judge. A pop-up shown open (/Open true) is a window readers draw over the page themselves: pdf.js
 * opens it beside its comment when the page is shown, whatever the pop-up's appearance, and the pictures (PDFBox)
 * draw only that appearance.
 */
final class AnnotationTraits {

    private static final COSName URI = COSName.getPDFName("URI");
    private static final COSName OCG = COSName.getPDFName("OCG");
    private static final COSName OCMD = COSName.getPDFName("OCMD");
    private static final COSName TR2 = COSName.getPDFName("TR2");
    private static final COSName POPUP = COSName.getPDFName("Popup");
    private static final COSName LINK = COSName.getPDFName("Link");
    /** What that border is made of. */
    private static final List<COSName> BORDER_KEYS = List.of(COSName.BS, COSName.BORDER, COSName.C, COSName.MK);
    private static final COSName OPEN = COSName.getPDFName("Open");
    /** Objects looked at in an annotation's appearance at most; past them it is taken to name optional content. */
    private static final int MAX_OBJECTS = 10_000;

    /** The appearances a reader shows while the pointer is over (/R) or presses (/D) an annotation. */
    private static final List<COSName> POINTER = List.of(COSName.R, COSName.D);
    /**
     * Kinds whose content a reader plays, renders or opens besides (or instead of) their appearance. A projection
     * (ISO 32000-2 12.5.6.24) is a comment a reader shows inside a 3D view, with the 3D measurement it carries (/ExData),
     * not as its appearance. Trap networks and printer's marks are left to the pictures: they are drawn by their
     * appearance on screen and on paper (the pictures draw paper-only annotations too).
     */
    private static final Set<String> SHOWN_OTHERWISE = Set.of("3D", "RichMedia", "Movie", "Screen", "Sound",
            "FileAttachment", "Redact", "Projection");

    private AnnotationTraits() {
    }

    /**
     * Why what an annotation added ({@code was} null) or changed shows or does is beyond the pictures, or null when
     * the pictures judge it: actions, optional content or transfer functions, appearances under the pointer, content
     * of its own.
     */
    static String beyondPictures(COSDictionary was, COSDictionary now, Set<COSBase> clean) {
        if (runsActions(now)) {
            return "carries actions a reader runs (/A, /AA): a script may change what the document shows";
        }
        if (drawnOtherwise(now, clean)) {
            return "is drawn under optional content (a layer) or a transfer function, which each reader takes its own "
                    + "way, so what it shows cannot be judged";
        }
        if (pointerAppearance(was, now)) {
            return "has an appearance readers draw while the pointer is over it or presses it (/AP /R, /D), which "
                    + "the comparison of the pages never draws, so what it shows then cannot be judged";
        }
        if (flagsReadOtherwise(was, now)) {
            return "has flags (/F) that are no whole number of 32 bits (2.0, -2, 2^32 + 2), which readers read "
                    + "otherwise: one hides the annotation and another draws it, so whether it shows cannot be judged";
        }
        COSName subtype = now.getCOSName(COSName.SUBTYPE);
        if (borderDrawnBesides(was, now)) {
            return "has a border that pdf.js (Firefox) draws itself over the page whatever its appearance (/Border or "
                    + "/BS with a colour in /C or /MK /BC: an opaque frame up to half the link's size), which the "
                    + "comparison of the pages never draws, so what it covers cannot be judged";
        }
        if (POPUP.equals(subtype) && now.getBoolean(OPEN, false)) {
            return "is a pop-up shown open when the document opens: readers draw its window with the comment's words "
                    + "over the page wherever they place it (pdf.js beside its comment, whatever its appearance), which "
                    + "the comparison of the pages never draws, so what it covers cannot be judged";
        }
        if (subtype != null && SHOWN_OTHERWISE.contains(subtype.getName())) {
            return "is shown by readers besides its appearance (3D artwork or a measurement in a 3D view, media they "
                    + "play, a file they list among the attachments and open, or a redaction's overlay), none of which "
                    + "the seal covers";
        }
        return null;
    }

    /**
     * Whether the link ({@code now}) has a border that pdf.js draws as an element of its own, besides and over its
     * appearance (which is all PDFBox, and so the pictures, draw): a width above 0 as pdf.js reads it (/BS /W, 1 when
     * /BS names none; else the third number of /Border) and a colour (/MK /BC, or the link's /C), when that border is
     * new: the link was added ({@code was} null) or one of those entries changed. Seen in pdf.js 4.10's viewer: a
     * white border 8 wide on a 16-point-high link erased nearly all of "100" at 100 % and half of it at 150 %. (A
     * widget's border widened the same way, or a closed pop-up's, was not seen drawn over the page; notes were not
     * tried.)
     */
    static boolean borderDrawnBesides(COSDictionary was, COSDictionary now) {
        if (!LINK.equals(now.getCOSName(COSName.SUBTYPE)) || borderWidth(now) <= 0) {
            return false;
        }
        boolean coloured = colour(now.getDictionaryObject(COSName.MK) instanceof COSDictionary mk
                ? mk.getDictionaryObject(COSName.BC) : null) || colour(now.getDictionaryObject(COSName.C));
        return coloured && (was == null || BORDER_KEYS.stream().anyMatch(key
                -> !RevisionDiff.sameShallow(was.getItem(key), now.getItem(key))));
    }

    /**
     * Whether the annotation's flags are new (added, or changed) and no whole number of 0 to 2^31 - 1 written as one
     * ({@link FormFields#wholeFlags}), which readers read three ways: pdf.js takes 2.0 and 2^32 + 2 as Hidden (their
     * low 32 bits) and -2 as no flags, poppler takes -2 as Hidden and 2.0 or 2^32 + 2 as no flags, the pictures draw
     * them all as no flags. Seen: a white box flagged so over a stamp writing ",000,000" after the certified
     * "Amount: 100" left the pictures unchanged, and pdf.js 4.10 (2.0, 2^32 + 2) or poppler (-2) showed
     * "Amount: 100,000,000".
     */
    private static boolean flagsReadOtherwise(COSDictionary was, COSDictionary now) {
        return !FormFields.wholeFlags(now)
                && (was == null || !RevisionDiff.sameShallow(was.getItem(COSName.F), now.getItem(COSName.F)));
    }

    /** The border width pdf.js reads: /BS /W (1 when /BS has none, 0 when a name), else /Border's third number. */
    private static float borderWidth(COSDictionary annotation) {
        if (annotation.getDictionaryObject(COSName.BS) instanceof COSDictionary style) {
            COSBase width = style.getDictionaryObject(COSName.W);
            return width instanceof org.apache.pdfbox.cos.COSNumber number ? number.floatValue()
                    : width instanceof COSName ? 0 : 1;
        }
        if (annotation.getItem(COSName.BS) == null && annotation.getDictionaryObject(COSName.BORDER) instanceof COSArray
                border && border.size() >= 3 && border.getObject(2) instanceof org.apache.pdfbox.cos.COSNumber width) {
            return width.floatValue();
        }
        return 0;
    }

    private static boolean colour(COSBase colour) {
        return colour instanceof COSArray components && components.size() > 0;
    }

    /**
     * The web address an annotation opens when clicked (a /URI action), quoted and cut to 120 characters, or null:
     * an invisible link added over the page or its QR code can send a clerk to a look-alike verifier, so the report
     * says where it leads.
     */
    static String webAddress(COSDictionary annotation) {
        if (annotation.getDictionaryObject(COSName.A) instanceof COSDictionary action
                && URI.equals(action.getCOSName(COSName.S))
                && action.getDictionaryObject(URI) instanceof org.apache.pdfbox.cos.COSString address) {
            String text = address.getString();
            return "\"" + (text.length() > 120 ? text.substring(0, 120) + "..." : text) + "\"";
        }
        return null;
    }

    /**
     * What a comment's pop-up (and the readers' comment list) shows of it: its claimed author (/T) and its words
     * (/Contents), quoted and cut to 120 characters, or null when it has neither. Readers show them as the comment
     * of whoever /T names; none of it is sealed, so the report quotes it.
     */
    static String popUpWords(COSDictionary annotation) {
        String author = annotation.getString(COSName.T);
        String contents = annotation.getString(COSName.CONTENTS);
        String text = (author == null || author.isBlank() ? "" : author.strip() + ": ")
                + (contents == null ? "" : contents.strip());
        if (text.isBlank()) {
            return null;
        }
        return "\"" + (text.length() > 120 ? text.substring(0, 120) + "..." : text) + "\"";
    }

    /**
     * Whether the annotation has a rollover (/R) or down (/D) appearance now that it did not have, the same, as signed
     * ({@code was}; null for an annotation added). One that is the normal appearance itself draws nothing else.
     */
    static boolean pointerAppearance(COSDictionary was, COSDictionary now) {
        if (!(now.getDictionaryObject(COSName.AP) instanceof COSDictionary ap)) {
            return false;
        }
        COSDictionary signed = was != null && was.getDictionaryObject(COSName.AP) instanceof COSDictionary s ? s : null;
        for (COSName which : POINTER) {
            COSBase item = ap.getItem(which);
            if (RevisionDiff.resolve(item) == null || item instanceof COSNull
                    || RevisionDiff.sameShallow(item, ap.getItem(COSName.N))
                    || signed != null && RevisionDiff.sameShallow(item, signed.getItem(which))) {
                continue;
            }
            return true;
        }
        return false;
    }

    /** Whether {@code key} is drawn by the annotation's rollover or down appearance and not by its normal one. */
    static boolean pointerOnly(COSDictionary annotation, COSObjectKey key) {
        if (!(annotation.getDictionaryObject(COSName.AP) instanceof COSDictionary ap)
                || Reach.from(ap.getItem(COSName.N), Set.of()).containsKey(key)) {
            return false;
        }
        return POINTER.stream().anyMatch(which -> Reach.from(ap.getItem(which), Set.of()).containsKey(key));
    }

    /** Whether the annotation carries actions a reader runs (a script may rewrite fields or switch layers on). */
    static boolean runsActions(COSDictionary annotation) {
        if (annotation.getItem(COSName.AA) != null) {
            return true;
        }
        COSBase action = annotation.getDictionaryObject(COSName.A);
        if (action == null) {
            return false;
        }
        return !CatalogRule.opensAPageOnly(action) && !(action instanceof COSDictionary dictionary
                && URI.equals(dictionary.getCOSName(COSName.S)) && dictionary.getItem(COSName.NEXT) == null);
    }

    /**
     * Whether the annotation, or anything its appearance draws with, names optional content (a layer) or a transfer
     * function: what the pictures draw of it is not what readers draw.
     *
     * @param clean objects already walked and found to name neither, in this comparison of two revisions (each is
     *              walked once however many annotations share it); the walk adds to it
     */
    static boolean drawnOtherwise(COSDictionary annotation, Set<COSBase> clean) {
        if (annotation.getItem(COSName.OC) != null) {
            return true;
        }
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<COSBase> todo = new ArrayDeque<>();
        if (annotation.getItem(COSName.AP) != null) {
            todo.push(annotation.getItem(COSName.AP));
        }
        while (!todo.isEmpty()) {
            COSBase next = todo.pop();
            if (next instanceof COSObject reference) {
                next = reference.getObject();
            }
            if (next == null || clean.contains(next) || !seen.add(next)) {
                continue;
            }
            if (seen.size() > MAX_OBJECTS) {
                return true;
            }
            if (next instanceof COSArray array) {
                array.forEach(todo::push);
            } else if (next instanceof COSDictionary dictionary) {
                COSName type = dictionary.getCOSName(COSName.TYPE);
                if (OCG.equals(type) || OCMD.equals(type) || dictionary.getItem(COSName.OC) != null
                        || transfers(dictionary.getDictionaryObject(COSName.TR))
                        || transfers(dictionary.getDictionaryObject(TR2))) {
                    return true;
                }
                for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                    if (!COSName.PARENT.equals(entry.getKey()) && !COSName.P.equals(entry.getKey())
                            && entry.getValue() != null) {
                        todo.push(entry.getValue());
                    }
                }
            }
        }
        // what was walked names none: annotations sharing it (a form's resources) are not walked through it again
        clean.addAll(seen);
        return false;
    }

    /** A transfer function other than the identity (/Identity, or /Default: the device's own, none on a screen). */
    private static boolean transfers(COSBase function) {
        return function != null && !COSName.IDENTITY.equals(function) && !COSName.getPDFName("Default").equals(function);
    }
}
