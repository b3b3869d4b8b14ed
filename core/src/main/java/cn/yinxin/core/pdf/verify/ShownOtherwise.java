package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentProperties;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What readers show of a sealed document otherwise than the pages the verification compares, though the seal covers
 * it as it is: a portfolio (/Collection), which readers open on its attached files in place of its pages, an XFA form
 * (/AcroForm /XFA), which Acrobat and Foxit show with its own layout and data in place of the pages, and layers
 * (optional content) whose state on paper differs from their state on screen (/Usage /Print /PrintState against
 * /View /ViewState or the layer configuration), or that readers show only at some zoom levels or in some languages
 * (/Usage /Zoom, /Language), so a printed copy, another zoom or another reader shows other content than the screen. Neither is a
 * change after signing (a change to either is refused by the catalog rule), so the verdict stands; but a clerk who
 * decides from the answer alone must know that the document they look at, or print, is not the one the verdict
 * describes page by page. The answer's summary says so, in words the message catalogue has in both languages.
 */
final class ShownOtherwise {

    private static final COSName COLLECTION = COSName.getPDFName("Collection");
    private static final COSName XFA = COSName.getPDFName("XFA");
    private static final COSName USAGE = COSName.getPDFName("Usage");
    private static final COSName VIEW = COSName.getPDFName("View");
    private static final COSName VIEW_STATE = COSName.getPDFName("ViewState");
    private static final COSName PRINT = COSName.getPDFName("Print");
    private static final COSName ZOOM = COSName.getPDFName("Zoom");
    private static final COSName LANGUAGE = COSName.getPDFName("Language");
    private static final COSName PRINT_STATE = COSName.getPDFName("PrintState");
    /** Names quoted at most, each cut to {@link #NAME_LENGTH} characters; name-tree nodes walked at most. */
    private static final int NAMES = 3;
    private static final int NAME_LENGTH = 60;
    private static final int NODES = 1_000;

    private ShownOtherwise() {
    }

    /** The notes for {@code document} (each a sentence of the catalogue), empty when readers show its pages alike. */
    static List<String> notes(PDDocument document) {
        List<String> notes = new ArrayList<>();
        COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
        if (catalog.getDictionaryObject(COLLECTION) instanceof COSDictionary) {
            String files;
            try {
                files = attachedFiles(catalog);
            } catch (RuntimeException e) {
                files = null; // a damaged name tree: the note is still given, without names
            }
            notes.add("readers open this document as a portfolio: they show its attached files" + (files == null ? ""
                    : " (" + files + ")") + " in place of its pages, which are what was verified; an attached file is "
                    + "covered only as part of this document, and any seal of its own was not checked: verify each "
                    + "attached file on its own.");
        }
        if (document.getDocumentCatalog().getCOSObject().getDictionaryObject(COSName.ACRO_FORM) instanceof COSDictionary
                form && form.getItem(XFA) != null) {
            notes.add("readers that support XFA forms (Acrobat, Foxit) show the document's XFA form, its own layout and "
                    + "data, in place of its pages and fields, which are what was verified: do not rely on what such a "
                    + "reader shows.");
        }
        String layers;
        try {
            layers = printedOtherwise(document);
        } catch (RuntimeException e) {
            layers = "\u2026"; // layers that cannot be read are not said to be alike
        }
        if (layers != null) {
            notes.add("this document has layers (optional content) that readers show or hide by how it is used: printed "
                    + "or on screen, at some zoom levels, in some languages (" + layers + "): a printed copy, another "
                    + "zoom or another reader may show other content than the screen. All of it was sealed as it is; "
                    + "do not take one for the other.");
        }
        return notes;
    }

    /** {@code report} with each note added to its summary, when it is an answer a clerk may act on. */
    static VerificationReport noted(VerificationReport report, List<String> notes) {
        if (notes.isEmpty() || report.verdict() != Verdict.VALID && report.verdict() != Verdict.INDETERMINATE) {
            return report;
        }
        String summary = report.summary();
        for (String note : notes) {
            summary = summary + " Take note: " + note;
        }
        return new VerificationReport(report.verdict(), summary, report.documentBytes(), report.validationTime(),
                report.signatures(), report.licence());
    }

    /** The first few names of the embedded files' name tree, quoted, or null when it names none. */
    private static String attachedFiles(COSDictionary catalog) {
        List<String> names = new ArrayList<>();
        COSBase tree = catalog.getDictionaryObject(COSName.NAMES) instanceof COSDictionary n
                ? n.getDictionaryObject(COSName.EMBEDDED_FILES) : null;
        ArrayDeque<COSBase> todo = new ArrayDeque<>();
        if (tree != null) {
            todo.push(tree);
        }
        int nodes = 0;
        int more = 0;
        while (!todo.isEmpty() && nodes++ < NODES) {
            if (!(todo.pop() instanceof COSDictionary node)) {
                continue;
            }
            COSArray leaves = node.getCOSArray(COSName.NAMES);
            for (int i = 0; leaves != null && i + 1 < leaves.size(); i += 2) {
                if (leaves.getObject(i) instanceof COSString name && names.size() < NAMES) {
                    names.add(quoted(name.getString()));
                } else {
                    more++;
                }
            }
            COSArray kids = node.getCOSArray(COSName.KIDS);
            for (int i = kids == null ? -1 : kids.size() - 1; i >= 0; i--) {
                todo.push(kids.getObject(i));
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        return String.join(", ", names) + (more > 0 || !todo.isEmpty() ? ", \u2026" : "");
    }

    /**
     * The layers whose printed state is not their shown state, or whose usage shows them only at some zoom levels
     * (/Zoom) or in some languages (/Language), which Acrobat applies (/AS), quoted; null when there is none.
     */
    private static String printedOtherwise(PDDocument document) {
        PDOptionalContentProperties layers = document.getDocumentCatalog().getOCProperties();
        if (layers == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        int found = 0;
        for (PDOptionalContentGroup group : layers.getOptionalContentGroups()) {
            boolean configured = layers.isGroupEnabled(group);
            COSDictionary usage = group.getCOSObject().getCOSDictionary(USAGE);
            boolean onScreen = state(usage, VIEW, VIEW_STATE, configured);
            boolean onPaper = state(usage, PRINT, PRINT_STATE, configured);
            boolean byUse = usage != null && (usage.getDictionaryObject(ZOOM) instanceof COSDictionary
                    || usage.getDictionaryObject(LANGUAGE) instanceof COSDictionary);
            if ((onScreen != onPaper || byUse) && found++ < NAMES) {
                String name = group.getName();
                names.add(quoted(name == null ? "" : name));
            }
        }
        if (found == 0) {
            return null;
        }
        return String.join(", ", names) + (found > NAMES ? ", \u2026" : "");
    }

    /** A layer's state for one use (/View, /Print) as its usage states it, else as the configuration has it. */
    private static boolean state(COSDictionary usage, COSName use, COSName key, boolean configured) {
        if (usage == null || !(usage.getDictionaryObject(use) instanceof COSDictionary entry)) {
            return configured;
        }
        COSName state = entry.getCOSName(key);
        return state == null ? configured : COSName.ON.equals(state) || !COSName.OFF.equals(state) && configured;
    }

    /** A name the document chose, on one line, cut short and quoted. */
    private static String quoted(String name) {
        StringBuilder clean = new StringBuilder();
        name.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || Character.isWhitespace(c) ? ' ' : c));
        String text = clean.toString().replaceAll(" +", " ").strip();
        return "\"" + (text.length() > NAME_LENGTH ? text.substring(0, NAME_LENGTH) + "..." : text) + "\"";
    }
}
