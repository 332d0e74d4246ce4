package dev.sipproxy.jainsip;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The first, regular-expression version of {@link HeaderScan}, kept as the reference its byte scan is
 * compared with (HeaderScanTest).
 *
 * Checks on the raw lines of a request that JAIN-SIP's lenient parser lets through but RFC 3261's
 * grammar does not (the invalid messages of RFC 4475 section 3.1.2): one SP between the parts of
 * the request line and SIP/2.0 as the version; a single-value header given twice; in From and To, an
 * unquoted display name that is not a sequence of tokens, or white space just inside the angle
 * brackets; a Contact whose URI holds a '?' without angle brackets. Headers are unfolded first.
 */
final class RegexHeaderScan {
    private static final Pattern REQUEST_LINE = Pattern.compile("[!-~]+ [!-~]+ SIP/2\\.0");
    /** Display names that RFC 3261 allows unquoted: tokens separated by white space. */
    private static final Pattern TOKENS = Pattern.compile("[A-Za-z0-9\\-.!%*_+`'~]+([ \\t]+[A-Za-z0-9\\-.!%*_+`'~]+)*");
    private static final String[][] SINGLE = {
        {"call-id", "Call-ID"}, {"i", "Call-ID"}, {"from", "From"}, {"f", "From"}, {"to", "To"}, {"t", "To"},
        {"cseq", "CSeq"}, {"max-forwards", "Max-Forwards"}, {"content-length", "Content-Length"},
        {"l", "Content-Length"}, {"content-type", "Content-Type"}, {"c", "Content-Type"},
    };

    private RegexHeaderScan() {
    }

    /** Why the request is not valid, or null when these checks find nothing. */
    static String problem(byte[] msg) {
        List<String> lines = HeaderScan.headerLines(msg); // the line splitting the new scan does not use
        if (lines.isEmpty() || !REQUEST_LINE.matcher(lines.get(0)).matches()) {
            return "malformed request line";
        }
        int[] seen = new int[SINGLE.length];
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            String display = displayName(name);
            for (int k = 0; k < SINGLE.length; k++) {
                if (SINGLE[k][0].equals(name) && ++seen[indexOfFirst(SINGLE[k][1])] > 1) {
                    return "duplicate " + SINGLE[k][1] + " header";
                }
            }
            if (display.equals("From") || display.equals("To")) {
                String p = nameAddrProblem(value);
                if (p != null) {
                    return p + " in " + display;
                }
            } else if (display.equals("Contact") && value.indexOf('<') < 0 && value.indexOf('?') >= 0) {
                return "Contact URI with '?' outside angle brackets";
            }
        }
        return null;
    }

    private static String nameAddrProblem(String value) {
        int lt = value.indexOf('<');
        if (lt < 0) {
            return null;
        }
        String before = value.substring(0, lt).trim();
        if (!before.isEmpty() && !before.startsWith("\"") && !TOKENS.matcher(before).matches()) {
            return "unquoted display name that is not a token list";
        }
        int gt = value.indexOf('>', lt);
        if (gt > lt + 1 && (Character.isWhitespace(value.charAt(lt + 1)) || Character.isWhitespace(value.charAt(gt - 1)))) {
            return "white space inside angle brackets";
        }
        return null;
    }

    private static String displayName(String name) {
        switch (name) {
            case "from", "f":
                return "From";
            case "to", "t":
                return "To";
            case "contact", "m":
                return "Contact";
            default:
                return name;
        }
    }

    private static int indexOfFirst(String display) {
        for (int k = 0; k < SINGLE.length; k++) {
            if (SINGLE[k][1].equals(display)) {
                return k;
            }
        }
        return 0;
    }
}
